using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DeviceNotify.Hosting;

/// <summary>
/// Starts the host's watcher before any hosted service starts (StartingAsync), and disposes it after every hosted
/// service has stopped (StoppedAsync), so services register on a running watcher and answer their last questions
/// before it goes.
/// </summary>
internal sealed partial class DeviceWatcherService(DeviceWatcher watcher, ILogger<DeviceWatcherService> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await watcher.StartAsync(cancellationToken).ConfigureAwait(false);
        LogStarted(watcher.GetDevices().Count);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        await watcher.DisposeAsync().ConfigureAwait(false);
        LogStopped();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "DeviceNotify watcher started ({Devices} devices present).")]
    private partial void LogStarted(int devices);

    [LoggerMessage(Level = LogLevel.Information, Message = "DeviceNotify watcher stopped.")]
    private partial void LogStopped();
}
