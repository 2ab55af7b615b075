using System.Runtime.Versioning;

namespace DeviceNotify.Compat.Linux;

// Implementation notes:
// - On Windows the Plug and Play manager is always there; here one DeviceWatcher per process plays its part,
//   started on first use and never stopped (the process's lifetime, like the OS service). Every compatibility call
//   works through DeviceNotify's public API, so whatever the library does (the broker, when one runs) applies.
// - The C-shaped functions never throw: a watcher that cannot start becomes CR_FAILURE / a Win32 error code, and
//   its exception is kept (LastStartError) for diagnostics.
[SupportedOSPlatform("linux")]
internal static class CompatRuntime
{
    private static readonly object s_gate = new();
    private static DeviceWatcher? s_watcher;
    private static RemovalCoordinator? s_coordinator;

    internal static Exception? LastStartError { get; private set; }

    /// <summary>The shared watcher, started on first use; null when it cannot start (see <see cref="LastStartError"/>).</summary>
    internal static DeviceWatcher? TryGetWatcher()
    {
        lock (s_gate)
        {
            if (s_watcher is not null)
                return s_watcher;
            try
            {
                s_watcher = DeviceWatcher.StartNew();
                s_coordinator = new RemovalCoordinator(s_watcher);
                return s_watcher;
            }
            catch (DeviceNotifyException ex)
            {
                LastStartError = ex;
                return null;
            }
        }
    }

    internal static RemovalCoordinator? TryGetCoordinator()
    {
        lock (s_gate)
            return TryGetWatcher() is null ? null : s_coordinator;
    }

    /// <summary>Runs an async removal request to completion on this (caller's) thread, as the C functions block.</summary>
    internal static T Wait<T>(Task<T> task) => task.ConfigureAwait(false).GetAwaiter().GetResult();
}
