using DeviceNotify.Simulation;

namespace DeviceNotify.Tests.Support;

/// <summary>Registrations made the same way live and on a replay, and what they received, as comparable lines.</summary>
internal static class ReplayCompare
{
    public static string Describe(DeviceNotification n) =>
        $"{n.Action} {n.Interface?.Class.Name} {n.Interface?.Path ?? n.Device?.DevPath} {n.KernelAction} {n.Origin} #{n.SequenceNumber} {n.Overflow?.Kind}";

    /// <summary>Registers one recorder per filter, with IncludeExisting.</summary>
    public static NotificationRecorder[] Register(DeviceWatcher watcher, List<IDisposable> registrations, params DeviceFilter[] filters)
    {
        var recorders = filters.Select(_ => new NotificationRecorder()).ToArray();
        for (int i = 0; i < filters.Length; i++)
            registrations.Add(watcher.Register(filters[i], recorders[i].Record, new RegistrationOptions { IncludeExisting = true }));
        return recorders;
    }

    /// <summary>Replays <paramref name="capture"/> into a fresh watcher with the same registrations; returns what each received.</summary>
    public static async Task<List<string>[]> ReplayAsync(string capture, ReplaySpeed speed, params DeviceFilter[] filters)
    {
        var replay = ReplayDeviceSource.Parse(new StringReader(capture));
        await using var watcher = await DeviceWatcher.StartNewAsync(new DeviceWatcherOptions { Source = replay });
        var registrations = new List<IDisposable>();
        var recorders = Register(watcher, registrations, filters);
        await replay.PlayAsync(speed);
        // Everything was dispatched; wait until each registration's queue is drained.
        var deadline = DateTime.UtcNow + TestTimeouts.Expected;
        while (registrations.OfType<DeviceRegistration>().Any(r => r.QueuedNotifications > 0) && DateTime.UtcNow < deadline)
            await Task.Delay(10);
        Thread.Sleep(50);
        foreach (var r in registrations)
            r.Dispose();
        return recorders.Select(r => r.All.Select(Describe).ToList()).ToArray();
    }
}
