using Google.Protobuf;
using Grpc.Core;
using Wire = DeviceNotify.Broker.Protocol;

namespace DeviceNotify.Daemon.Service;

/// <summary>
/// The methods of <c>devnotify.v1.DeviceBroker</c> (protos/devnotify/v1/broker.proto) as the server binds them: the
/// generated messages, except Subscribe's responses, which are written pre-encoded (<see cref="EncodedMessage"/>).
/// A request that is not valid protobuf ends its call with INVALID_ARGUMENT naming the message.
/// </summary>
internal static class BrokerMethods
{
    internal const string ServiceName = "devnotify.v1.DeviceBroker";

    internal static readonly Method<Wire.HelloRequest, Wire.HelloReply> Hello =
        new(MethodType.Unary, ServiceName, "Hello", For(Wire.HelloRequest.Parser), For(Wire.HelloReply.Parser));

    internal static readonly Method<Wire.SubscribeRequest, EncodedMessage> Subscribe =
        new(MethodType.ServerStreaming, ServiceName, "Subscribe", For(Wire.SubscribeRequest.Parser), EncodedMessage.Marshaller);

    internal static readonly Method<Wire.SessionRequest, Wire.SessionResponse> Session =
        new(MethodType.DuplexStreaming, ServiceName, "Session", For(Wire.SessionRequest.Parser), For(Wire.SessionResponse.Parser));

    internal static readonly Method<Wire.RemovalRequest, Wire.RemovalResult> Dismount =
        new(MethodType.Unary, ServiceName, "Dismount", For(Wire.RemovalRequest.Parser), For(Wire.RemovalResult.Parser));

    internal static readonly Method<Wire.RemovalRequest, Wire.RemovalResult> Eject =
        new(MethodType.Unary, ServiceName, "Eject", For(Wire.RemovalRequest.Parser), For(Wire.RemovalResult.Parser));

    internal static readonly Method<Wire.LockRequest, Wire.LockResponse> Lock =
        new(MethodType.DuplexStreaming, ServiceName, "Lock", For(Wire.LockRequest.Parser), For(Wire.LockResponse.Parser));

    internal static readonly Method<Wire.HoldersRequest, Wire.HoldersReply> FindHolders =
        new(MethodType.Unary, ServiceName, "FindHolders", For(Wire.HoldersRequest.Parser), For(Wire.HoldersReply.Parser));

    internal static Marshaller<T> For<T>(MessageParser<T> parser) where T : IMessage<T>, IBufferMessage => new(
        static (message, context) =>
        {
            context.SetPayloadLength(message.CalculateSize());
            message.WriteTo(context.GetBufferWriter());
            context.Complete();
        },
        context =>
        {
            try
            {
                return parser.ParseFrom(context.PayloadAsReadOnlySequence());
            }
            catch (InvalidProtocolBufferException ex)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"The {typeof(T).Name} is not valid protobuf: {ex.Message}"));
            }
        });
}
