using System.Runtime.Versioning;

namespace DeviceNotify.Compat;

/// <summary>
/// What the compatibility layer adds to the Windows names: interface classes for GUIDs of your own, the full result of
/// the last removal request (Windows only gives a veto type and a name), and the shared watcher behind the functions.
/// </summary>
public static class DeviceNotifyCompat
{
    private static readonly List<InterfaceClass> s_custom = [];

    [ThreadStatic]
    private static RemovalResult? t_lastRemoval;

    /// <summary>
    /// Gives a GUID of your own a class, so <c>CM_Register_Notification</c>, <c>RegisterDeviceNotification</c> and
    /// <c>CM_Get_Device_Interface_List</c> with that GUID find its interfaces on Linux (Windows needs nothing: the
    /// driver registers the class). The built-in GUIDs of <see cref="DeviceInterfaceGuids"/> need no call.
    /// </summary>
    /// <exception cref="ArgumentException">The GUID is already a class (built-in or added).</exception>
    public static void AddInterfaceClass(InterfaceClass interfaceClass)
    {
        ArgumentNullException.ThrowIfNull(interfaceClass);
        lock (s_custom)
        {
            if (FindClass(interfaceClass.Guid) is { } existing)
                throw new ArgumentException($"GUID {interfaceClass.Guid} is already the class {existing.Name}.", nameof(interfaceClass));
            s_custom.Add(interfaceClass);
        }
    }

    /// <summary>
    /// On Linux: the DeviceNotify result of the last removal request this thread made through the compatibility
    /// functions (<c>CM_Query_And_Remove_SubTree</c>, <c>CM_Request_Device_Eject</c>, <c>DeviceIoControl</c> with an
    /// <c>FSCTL_*</c> code): every party asked, every holder found, who vetoed and why. Null before the first request,
    /// and on Windows (which says no more than the veto type and name).
    /// </summary>
    public static RemovalResult? LastRemovalResult
    {
        get => t_lastRemoval;
        internal set => t_lastRemoval = value;
    }

    /// <summary>
    /// On Linux: the process-wide watcher the compatibility functions run on (started on first use), to mix them with
    /// DeviceNotify's own API. Null when it cannot start.
    /// </summary>
    [SupportedOSPlatform("linux")]
    public static DeviceWatcher? SharedWatcher => Linux.CompatRuntime.TryGetWatcher();

    internal static InterfaceClass? FindClass(Guid guid)
    {
        foreach (var c in InterfaceClass.BuiltIn)
        {
            if (c.Guid == guid)
                return c;
        }
        lock (s_custom)
            return s_custom.Find(c => c.Guid == guid);
    }

    internal static InterfaceClass[] AllClasses()
    {
        lock (s_custom)
            return [.. InterfaceClass.BuiltIn, .. s_custom];
    }
}
