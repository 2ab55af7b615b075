using System.IO.Enumeration;
using DeviceNotify.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeviceNotify.Samples.Catalog;

/// <summary>
/// Keeps <see cref="CatalogOptions.FileName"/> open on every mounted volume whose mount point matches
/// <see cref="CatalogOptions.MountPaths"/>: it watches each volume (interface arrival), opens the file where the
/// volume is mounted, closes it on VolumeDismount / VolumeLock / removal, and reopens it on the failed notices, on
/// VolumeUnlock and on VolumeMount. Handler calls run one at a time, so the state below needs no lock.
/// </summary>
public sealed partial class CatalogService(DeviceWatcher watcher, IOptions<CatalogOptions> options, ILogger<CatalogService> logger)
    : DeviceEventService(watcher, logger)
{
    private readonly CatalogOptions _options = options.Value;
    private readonly ILogger _log = logger;
    private readonly Dictionary<HandleWatch, Dictionary<string, FileStream>> _open = [];

    /// <summary>The catalog files open now (for tests and status pages).</summary>
    public IReadOnlyList<string> OpenFiles
    {
        get
        {
            lock (_open)
                return _open.Values.SelectMany(files => files.Values.Select(f => f.Name)).Order(StringComparer.Ordinal).ToList();
        }
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<InterfaceClass> InterfaceClasses => [InterfaceClass.Volume];

    /// <inheritdoc/>
    protected override ValueTask OnInterfaceArrivalAsync(DeviceInterface deviceInterface, DeviceNotification notification, CancellationToken cancellationToken)
    {
        var watch = WatchDevice(deviceInterface.Device);
        lock (_open)
            _open[watch] = [];
        OpenAll(watch, "present");
        return default;
    }

    /// <inheritdoc/>
    protected override async ValueTask OnInterfaceRemovalAsync(DeviceInterface deviceInterface, DeviceNotification notification, CancellationToken cancellationToken)
    {
        foreach (var watch in HandleWatches.Where(w => w.Device?.DevPath == deviceInterface.Device.DevPath))
        {
            CloseAll(watch, "volume gone");
            Drop(watch);
            await watch.DisposeAsync();
        }
    }

    /// <inheritdoc/>
    protected override ValueTask<PartyAnswer> OnVolumeDismountAsync(HandleWatch watch, DeviceNotification notification, CancellationToken cancellationToken)
    {
        CloseAll(watch, notification.Query is null ? "volume was unmounted" : "dismount requested");
        return ValueTask.FromResult(PartyAnswer.Accepted);
    }

    /// <inheritdoc/>
    protected override ValueTask<PartyAnswer> OnVolumeLockAsync(HandleWatch watch, DeviceNotification notification, CancellationToken cancellationToken)
    {
        CloseAll(watch, "lock requested");
        return ValueTask.FromResult(PartyAnswer.Accepted);
    }

    /// <inheritdoc/>
    protected override ValueTask OnVolumeDismountFailedAsync(HandleWatch watch, DeviceNotification notification, CancellationToken cancellationToken)
        => Reopen(watch, "dismount failed");

    /// <inheritdoc/>
    protected override ValueTask OnVolumeLockFailedAsync(HandleWatch watch, DeviceNotification notification, CancellationToken cancellationToken)
        => Reopen(watch, "lock failed");

    /// <inheritdoc/>
    protected override ValueTask OnVolumeUnlockAsync(HandleWatch watch, DeviceNotification notification, CancellationToken cancellationToken)
        => Reopen(watch, "lock released");

    /// <inheritdoc/>
    protected override ValueTask OnVolumeMountAsync(HandleWatch watch, DeviceNotification notification, CancellationToken cancellationToken)
        => Reopen(watch, "mounted");

    /// <inheritdoc/>
    protected override ValueTask OnRemoveCompleteAsync(HandleWatch watch, DeviceNotification notification, CancellationToken cancellationToken)
    {
        CloseAll(watch, "device removed");
        Drop(watch);
        return default;
    }

    /// <inheritdoc/>
    protected override ValueTask OnStoppingAsync(CancellationToken cancellationToken)
    {
        foreach (var watch in HandleWatches)
            CloseAll(watch, "service stopping");
        return default;
    }

    private ValueTask Reopen(HandleWatch watch, string why)
    {
        OpenAll(watch, why);
        return default;
    }

    /// <summary>Opens the catalog on every mount of the volume that matches the configured paths.</summary>
    private void OpenAll(HandleWatch watch, string why)
    {
        var id = watch.Identity;
        foreach (var mount in VolumeEnumerator.GetMountPoints().Where(m => m.Major == id.Major && m.Minor == id.Minor && m.Root == "/"))
        {
            if (!_options.MountPaths.Any(p => FileSystemName.MatchesSimpleExpression(p, mount.Path, ignoreCase: false)))
                continue;
            string path = Path.Combine(mount.Path, _options.FileName);
            lock (_open)
            {
                if (!_open.TryGetValue(watch, out var files) || files.ContainsKey(mount.Path))
                    continue;
                try
                {
                    var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
                    file.Write(System.Text.Encoding.UTF8.GetBytes($"{DateTimeOffset.Now:O} opened by pid {Environment.ProcessId} ({why})\n"));
                    file.Flush(flushToDisk: true);
                    files[mount.Path] = file;
                    LogOpened(path, watch.Name, why);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    LogOpenFailed(ex, path);
                }
            }
        }
    }

    private void CloseAll(HandleWatch watch, string why)
    {
        lock (_open)
        {
            if (!_open.TryGetValue(watch, out var files))
                return;
            foreach (var file in files.Values)
            {
                string name = file.Name;
                file.Flush(flushToDisk: true);
                file.Dispose();
                LogClosed(name, why);
            }
            files.Clear();
        }
    }

    private void Drop(HandleWatch watch)
    {
        lock (_open)
            _open.Remove(watch);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Opened {Path} on {Volume} ({Why}).")]
    private partial void LogOpened(string path, string volume, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed {Path} ({Why}).")]
    private partial void LogClosed(string path, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot open {Path}; the volume is not catalogued.")]
    private partial void LogOpenFailed(Exception exception, string path);
}
