namespace DeviceNotify.Windows;

/// <summary>
/// Devices whose removal this process is carrying out after its own parties agreed (by devpath: a disk, and below it
/// its volumes): when Windows then sends the query-remove to the source's handle watches on them, they accept at once
/// instead of asking the same parties a second time. Other devices under the same removable ancestor (a second
/// function of a USB device) were not asked, so they are asked.
/// </summary>
internal static class AgreedRemovals
{
    private static readonly List<string> s_devPaths = [];

    internal static IDisposable Begin(string devPath)
    {
        lock (s_devPaths)
            s_devPaths.Add(devPath);
        return new End(devPath);
    }

    internal static bool Covers(Device device)
    {
        lock (s_devPaths)
            return s_devPaths.Exists(p => device.DevPath == p || device.DevPath.StartsWith(p + "/", StringComparison.Ordinal));
    }

    private sealed class End(string devPath) : IDisposable
    {
        public void Dispose()
        {
            lock (s_devPaths)
                s_devPaths.Remove(devPath);
        }
    }
}
