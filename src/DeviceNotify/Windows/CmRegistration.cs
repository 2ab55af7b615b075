using System.Runtime.InteropServices;
using static DeviceNotify.Interop.CfgMgr32;

namespace DeviceNotify.Windows;

// Implementation notes:
// - One CM_Register_Notification with the trampoline and a GCHandle context. Unregister calls
//   CM_Unregister_Notification, which waits for the callbacks in progress, then frees the context. Called on a
//   callback thread it would wait for itself (the deadlock the seed warns about), so there it defers itself to the
//   thread pool, as the documentation's threadpool work item does; callbacks may still come until then and find
//   their target told to ignore them.
internal sealed class CmRegistration
{
    private readonly INativeMethods _native;
    private readonly object _gate = new();
    private GCHandle _context;
    private bool _unregistered;

    private CmRegistration(INativeMethods native) => _native = native;

    /// <summary>The HCMNOTIFICATION cfgmgr32 returned.</summary>
    internal nint Handle { get; private set; }

    /// <summary>Registers <paramref name="target"/>; null with the CONFIGRET on failure.</summary>
    internal static CmRegistration? Register(INativeMethods native, in CM_NOTIFY_FILTER filter, INotificationTarget target, out uint result)
    {
        var registration = new CmRegistration(native) { _context = GCHandle.Alloc(target) };
        result = native.RegisterNotification(filter, GCHandle.ToIntPtr(registration._context), NotificationTrampoline.FunctionPointer, out nint handle);
        if (result != CR_SUCCESS)
        {
            registration._context.Free();
            return null;
        }
        registration.Handle = handle;
        return registration;
    }

    internal static CM_NOTIFY_FILTER InterfaceFilter() => new()
    {
        cbSize = 416,
        Flags = CM_NOTIFY_FILTER_FLAG_ALL_INTERFACE_CLASSES,
        FilterType = CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE,
    };

    internal static CM_NOTIFY_FILTER HandleFilter(SafeHandle target) => new()
    {
        cbSize = 416,
        FilterType = CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE,
        hTarget = target.DangerousGetHandle(),
    };

    /// <summary>Unregisters, waiting for callbacks in progress; off a callback thread only (there it defers itself). Idempotent.</summary>
    internal void Unregister()
    {
        if (NotificationTrampoline.OnCallbackThread)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static r => r.Unregister(), this, preferLocal: false);
            return;
        }
        lock (_gate)
        {
            if (_unregistered)
                return;
            _unregistered = true;
        }
        _native.UnregisterNotification(Handle);
        // cfgmgr32 calls no more once its unregister returned: only now may the context go.
        _context.Free();
    }
}
