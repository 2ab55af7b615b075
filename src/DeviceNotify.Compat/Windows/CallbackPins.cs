using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace DeviceNotify.Compat.Windows;

/// <summary>
/// Keeps the delegates handed to Windows as function pointers alive for as long as Windows may call them: from before
/// the registering call (a callback can come before it returns) until the matching unregistration has returned.
/// </summary>
internal static class CallbackPins
{
    private static readonly ConcurrentDictionary<nint, Delegate> s_pinned = new();

    internal static nint PointerFor<T>(T callback) where T : Delegate => Marshal.GetFunctionPointerForDelegate(callback);

    internal static void Keep(nint handle, Delegate callback) => s_pinned[handle] = callback;

    internal static void Release(nint handle) => s_pinned.TryRemove(handle, out _);
}
