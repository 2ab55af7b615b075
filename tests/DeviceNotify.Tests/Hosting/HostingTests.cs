using System.Diagnostics.Metrics;
using DeviceNotify.Diagnostics;
using DeviceNotify.Hosting;
using DeviceNotify.Simulation;
using DeviceNotify.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeviceNotify.Tests.Hosting;

/// <summary>DeviceNotify.Hosting on a simulated source: lifetime, configuration, DI services, DeviceEventService.</summary>
public class HostingTests
{
    /// <summary>A service that records what it is told.</summary>
    internal sealed class RecordingService(DeviceWatcher watcher, ILogger<RecordingService> logger) : DeviceEventService(watcher, logger)
    {
        public NotificationRecorder Recorder { get; } = new();
        public List<string> Calls { get; } = [];
        public Device? VolumeToWatch { get; set; }
        public HandleWatch? Watched { get; private set; }

        protected override IReadOnlyList<InterfaceClass> InterfaceClasses => [InterfaceClass.Net, InterfaceClass.Volume];

        private void Note(string call, DeviceNotification n)
        {
            lock (Calls)
                Calls.Add(call);
            Recorder.Record(n);
        }

        protected override ValueTask OnStartedAsync(CancellationToken cancellationToken)
        {
            lock (Calls)
                Calls.Add("started");
            return default;
        }

        protected override ValueTask OnInterfaceArrivalAsync(DeviceInterface deviceInterface, DeviceNotification notification, CancellationToken cancellationToken)
        {
            Note($"arrival {deviceInterface.Path}", notification);
            if (deviceInterface.Class == InterfaceClass.Volume)
                Watched = WatchDevice(deviceInterface.Device);
            return default;
        }

        protected override ValueTask OnInterfaceRemovalAsync(DeviceInterface deviceInterface, DeviceNotification notification, CancellationToken cancellationToken)
        {
            Note($"removal {deviceInterface.Path}", notification);
            return default;
        }

        protected override ValueTask OnVolumeMountAsync(HandleWatch watch, DeviceNotification notification, CancellationToken cancellationToken)
        {
            Note($"mount {notification.CustomEvent!.MountPoint!.Path}", notification);
            return default;
        }

        protected override ValueTask<PartyAnswer> OnVolumeDismountAsync(HandleWatch watch, DeviceNotification notification, CancellationToken cancellationToken)
        {
            Note($"dismount {notification.CustomEvent!.MountPoint!.Path}", notification);
            return ValueTask.FromResult(PartyAnswer.Accepted);
        }

        protected override ValueTask OnRemoveCompleteAsync(HandleWatch watch, DeviceNotification notification, CancellationToken cancellationToken)
        {
            Note($"removed {watch.Name}", notification);
            return default;
        }

        protected override ValueTask OnStoppingAsync(CancellationToken cancellationToken)
        {
            lock (Calls)
                Calls.Add("stopping");
            return default;
        }
    }

    private static HostApplicationBuilder Builder(SimulatedDeviceSource? source, params (string Key, string Value)[] config)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(config.Select(c => new KeyValuePair<string, string?>(c.Key, c.Value)));
        builder.Services.AddMetrics();
        builder.Services.AddDeviceNotifications(o => o.Source = source ?? o.Source);
        return builder;
    }

    private static Device Sdb() => new("/devices/pci0000:00/block/sdb", "block",
        new Dictionary<string, string> { ["DEVTYPE"] = "disk", ["DEVNAME"] = "sdb", ["MAJOR"] = "8", ["MINOR"] = "16" },
        new DeviceAttributes { SizeSectors = 1 << 20 });

    private static MountPoint MountOf(int id, string path) => new()
    {
        MountId = id, ParentId = 1, Major = 8, Minor = 16, Root = "/", Path = path, Options = "rw", FileSystemType = "ext4", Source = "/dev/sdb", SuperOptions = "rw",
    };

    [Fact]
    public async Task The_host_starts_the_watcher_before_the_services_and_disposes_it_after_them()
    {
        var sim = new SimulatedDeviceSource();
        sim.Add(Sim.Net("h0"));
        var builder = Builder(sim, ("DeviceNotify:QueueCapacity", "128"));
        builder.Services.AddDeviceEventService<RecordingService>();
        using var host = builder.Build();
        var watcher = host.Services.GetRequiredService<DeviceWatcher>();
        var service = host.Services.GetRequiredService<RecordingService>();
        Assert.False(watcher.IsRunning);

        await host.StartAsync();
        Assert.True(watcher.IsRunning);
        Assert.Equal(128, host.Services.GetRequiredService<IOptions<DeviceNotifyOptions>>().Value.QueueCapacity);
        Assert.True(service.Recorder.WaitUntil(a => a.Count == 1, TestTimeouts.Expected));
        sim.Add(Sim.Net("h1"));
        sim.Remove("/devices/virtual/net/h0");
        Assert.True(service.Recorder.WaitUntil(a => a.Count == 3, TestTimeouts.Expected));
        Assert.NotNull(host.Services.GetRequiredService<RemovalCoordinator>());

        await host.StopAsync();
        Assert.False(watcher.IsRunning);
        Assert.Equal(["started", "arrival h0", "arrival h1", "removal h0", "stopping"], service.Calls);
    }

    [Fact]
    public async Task A_watched_volume_hears_mounts_dismounts_and_its_removal()
    {
        var sim = new SimulatedDeviceSource();
        var builder = Builder(sim);
        builder.Services.AddDeviceEventService<RecordingService>();
        using var host = builder.Build();
        var service = host.Services.GetRequiredService<RecordingService>();
        await host.StartAsync();

        sim.Add(Sdb());
        Assert.True(SpinWait.SpinUntil(() => service.Watched is not null, TestTimeouts.Expected));
        sim.SetMounts([MountOf(40, "/media/usb")]);
        sim.SetMounts([]);
        sim.Remove("/devices/pci0000:00/block/sdb");
        Assert.True(service.Recorder.WaitUntil(a => a.Any(n => n.Action == NotificationAction.RemoveComplete), TestTimeouts.Expected));
        Assert.True(SpinWait.SpinUntil(() => service.Watched!.IsEnded, TestTimeouts.Expected));
        Assert.Empty(service.HandleWatches);
        await host.StopAsync();

        // The watch's own notifications come in order; the interface removal runs on another registration.
        lock (service.Calls)
        {
            Assert.Equal(["started", "arrival /dev/sdb", "mount /media/usb", "dismount /media/usb", "removed /dev/sdb", "stopping"],
                service.Calls.Where(c => c != "removal /dev/sdb"));
            Assert.Contains("removal /dev/sdb", service.Calls);
        }
    }

    [Theory]
    [InlineData("DeviceNotify:ReceiveBufferSize", "-1", "DeviceNotify:ReceiveBufferSize must be a positive number of bytes, not -1.")]
    [InlineData("DeviceNotify:QueueCapacity", "0", "DeviceNotify:QueueCapacity must be at least 1, not 0.")]
    [InlineData("DeviceNotify:SysfsRoot", "/no/such/sysfs", "DeviceNotify:SysfsRoot '/no/such/sysfs' is not a directory")]
    [InlineData("DeviceNotify:ReceiveBufferSize", "lots", "DeviceNotify:ReceiveBufferSize")]
    [InlineData("DeviceNotify:ReceiveBufer", "1024", "ReceiveBufer")]
    public async Task Bad_configuration_fails_start_up_with_a_message_naming_the_key(string key, string value, string message)
    {
        using var host = Builder(null, (key, value)).Build();
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_watcher_uses_the_hosts_meter_factory()
    {
        var sim = new SimulatedDeviceSource();
        using var host = Builder(sim).Build();
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        using var reader = new MeterReader(factory);
        await host.StartAsync();
        sim.Add(Sim.Net("mf0"));
        sim.Add(Sim.Net("mf1"));
        Assert.Equal(2, reader.Read(DeviceNotifyMeter.EventsReceived));
        await host.StopAsync();
    }
}

/// <summary>The catalog sample on a simulated source: volumes that come and go (no real mounts match, so it opens nothing).</summary>
public class CatalogSimulationTests
{
    [Fact]
    public async Task A_volume_removed_while_its_watch_has_notifications_queued_does_not_deadlock_the_service()
    {
        var sim = new SimulatedDeviceSource();
        using var host = DeviceNotify.Samples.Catalog.CatalogHost.CreateBuilder([], o => o.Source = sim).Build();
        var catalog = host.Services.GetRequiredService<DeviceNotify.Samples.Catalog.CatalogService>();
        await host.StartAsync();
        for (int round = 0; round < 20; round++)
        {
            var disk = new Device($"/devices/pci0000:00/block/sd{(char)('b' + round)}", "block",
                new Dictionary<string, string> { ["DEVTYPE"] = "disk", ["DEVNAME"] = "sdx", ["MAJOR"] = "8", ["MINOR"] = (16 * (round + 1)).ToString(System.Globalization.CultureInfo.InvariantCulture) },
                new DeviceAttributes { SizeSectors = 1 << 20 });
            sim.Add(disk);
            Assert.True(SpinWait.SpinUntil(() => catalog.HandleWatches.Count == 1, TestTimeouts.Expected), "the catalog did not watch the volume");
            // The interface removal (which disposes the watch) and the watch's own RemoveComplete arrive together.
            sim.Remove(disk.DevPath);
            Assert.True(SpinWait.SpinUntil(() => catalog.HandleWatches.Count == 0, TestTimeouts.Expected), $"round {round}: the watch was not disposed");
        }
        await host.StopAsync().WaitAsync(TestTimeouts.Expected);
    }
}
