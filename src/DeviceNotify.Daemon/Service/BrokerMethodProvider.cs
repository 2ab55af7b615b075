using Grpc.AspNetCore.Server.Model;

namespace DeviceNotify.Daemon.Service;

/// <summary>Binds <see cref="BrokerMethods"/> to <see cref="BrokerService"/>'s handlers explicitly (no reflection over method names).</summary>
internal sealed class BrokerMethodProvider : IServiceMethodProvider<BrokerService>
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<BrokerService> context)
    {
        context.AddUnaryMethod(BrokerMethods.Hello, [], static (s, r, c) => s.Hello(r, c));
        context.AddServerStreamingMethod(BrokerMethods.Subscribe, [], static (s, r, w, c) => s.Subscribe(r, w, c));
        context.AddDuplexStreamingMethod(BrokerMethods.Session, [], static (s, r, w, c) => s.Session(r, w, c));
        context.AddUnaryMethod(BrokerMethods.Dismount, [], static (s, r, c) => s.Dismount(r, c));
        context.AddUnaryMethod(BrokerMethods.Eject, [], static (s, r, c) => s.Eject(r, c));
        context.AddDuplexStreamingMethod(BrokerMethods.Lock, [], static (s, r, w, c) => s.Lock(r, w, c));
        context.AddUnaryMethod(BrokerMethods.FindHolders, [], static (s, r, c) => s.FindHolders(r, c));
    }
}
