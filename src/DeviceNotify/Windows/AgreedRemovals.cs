namespace DeviceNotify.Windows;

/// <summary>
/// Device instances whose removal this process requested after its own parties agreed: when Windows then sends the
/// query-remove to the source's handle watches, they accept at once instead of asking the same parties again.
/// </summary>
internal static class AgreedRemovals
{
    private static readonly HashSet<string> s_instances = new(StringComparer.OrdinalIgnoreCase);

    internal static IDisposable Begin(IEnumerable<string> instanceIds)
    {
        var ids = instanceIds.ToList();
        lock (s_instances)
            s_instances.UnionWith(ids);
        return new End(ids);
    }

    internal static bool Contains(string? instanceId)
    {
        if (instanceId is null)
            return false;
        lock (s_instances)
            return s_instances.Contains(instanceId);
    }

    private sealed class End(List<string> ids) : IDisposable
    {
        public void Dispose()
        {
            lock (s_instances)
                s_instances.ExceptWith(ids);
        }
    }
}
