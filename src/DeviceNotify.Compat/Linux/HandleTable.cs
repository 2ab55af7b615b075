namespace DeviceNotify.Compat.Linux;

/// <summary>
/// Opaque handle values for one kind of object (notification registrations, recipients, volume handles). Each kind
/// starts at its own base, so a value of one kind is never a valid value of another, and a stale or forged value is
/// found missing rather than dereferenced (no GCHandle is ever handed out).
/// </summary>
internal sealed class HandleTable<T>(long first) where T : class
{
    private readonly Dictionary<nint, T> _items = [];
    private long _next = first;

    internal nint Add(T item)
    {
        lock (_items)
        {
            var handle = (nint)_next;
            _next += 4;   // keep the low bits clear, like real handles
            _items.Add(handle, item);
            return handle;
        }
    }

    internal bool TryGet(nint handle, out T item)
    {
        lock (_items)
            return _items.TryGetValue(handle, out item!);
    }

    internal bool Remove(nint handle, out T item)
    {
        lock (_items)
            return _items.Remove(handle, out item!);
    }
}
