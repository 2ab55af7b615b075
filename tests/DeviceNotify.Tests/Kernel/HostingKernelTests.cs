using DeviceNotify.Hosting;
using DeviceNotify.Samples.Catalog;
using DeviceNotify.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DeviceNotify.Tests.Kernel;

/// <summary>Hosted services on real loop-backed ext4 volumes: shutdown during a negotiation, and the catalog sample.</summary>
[Collection(KernelCollection.Name)]
public class HostingKernelTests
{
    /// <summary>Keeps a file open on one volume and takes its time answering a dismount: until the host stops.</summary>
    private sealed class SlowService(DeviceWatcher watcher, ILogger<SlowService> logger) : DeviceEventService(watcher, logger)
    {
        public string? Path { get; set; }
        public FileStream? File { get; private set; }
        public TaskCompletionSource Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool ClosedBeforeAnswer { get; private set; }

        protected override ValueTask OnStartedAsync(CancellationToken cancellationToken)
        {
            File = new FileStream(Path!, FileMode.Create);
            WatchHandle(File, "slow");
            return default;
        }

        protected override async ValueTask<PartyAnswer> OnVolumeDismountAsync(HandleWatch watch, DeviceNotification notification, CancellationToken cancellationToken)
        {
            Asked.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);   // "finishing a transaction": ends only when the host stops
            return PartyAnswer.Accepted;
        }

        protected override ValueTask OnStoppingAsync(CancellationToken cancellationToken)
        {
            File!.Dispose();
            ClosedBeforeAnswer = true;
            return default;
        }
    }

    private static IHost BuildHost(Action<IServiceCollection> services, params (string Key, string Value)[] config)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(config.Select(c => new KeyValuePair<string, string?>(c.Key, c.Value)));
        builder.Services.AddDeviceNotifications();
        services(builder.Services);
        return builder.Build();
    }

    [Fact]
    public async Task Shutdown_during_a_negotiation_closes_the_files_answers_and_ends_cleanly()
    {
        using var ext4 = new Ext4Volume("dnstop");
        ext4.Mount();
        using var host = BuildHost(s => s.AddDeviceEventService<SlowService>());
        var service = host.Services.GetRequiredService<SlowService>();
        service.Path = Path.Combine(ext4.MountPath, "tx.log");
        await host.StartAsync();
        // In process: the host's coordinator asks the host's registrations (across processes that is the broker's job).
        var coordinator = host.Services.GetRequiredService<RemovalCoordinator>();
        var deadline = TimeSpan.FromSeconds(60);

        var dismount = coordinator.DismountAsync(ext4.MountPath, new RemovalOptions { Deadline = deadline });
        await service.Asked.Task.WaitAsync(TestTimeouts.Expected);
        Assert.False(dismount.IsCompleted);
        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await host.StopAsync().WaitAsync(TestTimeouts.Expected);
        var result = await dismount.WaitAsync(TestTimeouts.Expected);

        Assert.True(stopping.Elapsed < deadline, "the answer waited for the deadline");
        Assert.True(service.ClosedBeforeAnswer);
        Assert.True(result.Succeeded, result.Error);
        Assert.False(ext4.IsMounted);
        var party = Assert.Single(result.Parties);
        Assert.Equal("slow", party.Name);
        Assert.Equal(VetoType.None, party.Veto);
        Assert.False(host.Services.GetRequiredService<DeviceWatcher>().IsRunning);
    }

    [Fact]
    public async Task The_catalog_service_closes_its_file_for_a_dismount_and_reopens_it_on_mount()
    {
        using var ext4 = new Ext4Volume("dncatalog");
        ext4.Mount();
        using var host = CatalogHost.CreateBuilder(["--Catalog:MountPaths:0=" + ext4.MountPath, "--Catalog:FileName=catalog.txt"]).Build();
        var catalog = host.Services.GetRequiredService<CatalogService>();
        string file = Path.Combine(ext4.MountPath, "catalog.txt");
        await host.StartAsync();
        try
        {
            Assert.True(SpinWait.SpinUntil(() => catalog.OpenFiles.Contains(file), TestTimeouts.Expected), "the catalog did not open its file");
            // Only the configured mount: the root filesystem and other volumes are left alone.
            Assert.Equal([file], catalog.OpenFiles);
            var coordinator = host.Services.GetRequiredService<RemovalCoordinator>();
            Assert.Contains(coordinator.FindHolders(ext4.MountPath), h => h.ProcessId == Environment.ProcessId && h.Reason!.Contains("catalog.txt", StringComparison.Ordinal));

            // In process: the coordinator asks the service, which closes its file and accepts; nobody else holds it.
            var result = await coordinator.DismountAsync(ext4.MountPath, new RemovalOptions { Deadline = TimeSpan.FromSeconds(10) });

            Assert.True(result.Succeeded, result.Error);
            Assert.Empty(catalog.OpenFiles);
            Assert.Contains(result.Parties, p => p.WasAsked && p.Name == ext4.DevNode && p.Veto == VetoType.None);

            ext4.Mount();
            Assert.True(SpinWait.SpinUntil(() => catalog.OpenFiles.Contains(file), TestTimeouts.Expected), "the catalog did not reopen after VolumeMount");
            var lines = File.ReadAllLines(file);
            Assert.Equal(2, lines.Length);
            Assert.EndsWith("(present)", lines[0], StringComparison.Ordinal);
            Assert.EndsWith("(mounted)", lines[1], StringComparison.Ordinal);
        }
        finally
        {
            await host.StopAsync();
        }
        Assert.Empty(catalog.OpenFiles);
    }
}
