using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DeviceNotify.Windows;

// Implementation notes:
// - The one PCM_NOTIFY_CALLBACK every registration of the backend passes to CM_Register_Notification: a static
//   [UnmanagedCallersOnly] stdcall function (no delegate to keep alive, no marshalling stub). The registration's
//   context is a GCHandle to its INotificationTarget; it is freed only after CM_Unregister_Notification returned,
//   after which cfgmgr32 calls no more ("do not free the context until after the work item has called
//   CM_Unregister_Notification").
// - The event buffer is read within EventDataSize only (NotifyEventDecoder); a bad one is reported and dropped.
// - Nothing may unwind into cfgmgr32: every exception is caught and the callback returns ERROR_SUCCESS.
// - t_depth marks the callback thread, so CmRegistration.Unregister, called there by mistake, defers itself
//   instead of deadlocking (cfgmgr32's unregister waits for the callbacks in progress).
internal static unsafe class NotificationTrampoline
{
    /// <summary>Beyond this, EventDataSize is not believed (a symbolic link is at most a few hundred characters).</summary>
    internal const uint MaxEventDataSize = 64 * 1024;

    [ThreadStatic]
    private static int t_depth;

    /// <summary>The callback's address, for CM_Register_Notification.</summary>
    internal static nint FunctionPointer => (nint)(delegate* unmanaged[Stdcall]<nint, nint, uint, byte*, uint, uint>)&Callback;

    /// <summary>True on a thread that is inside a callback now.</summary>
    internal static bool OnCallbackThread => t_depth > 0;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static uint Callback(nint notification, nint context, uint action, byte* eventData, uint eventDataSize)
    {
        t_depth++;
        try
        {
            if (context == 0 || GCHandle.FromIntPtr(context).Target is not INotificationTarget target)
                return 0;
            if (eventData is null || eventDataSize > MaxEventDataSize)
            {
                target.OnMalformed($"Malformed CM_NOTIFY_EVENT_DATA: {(eventData is null ? "no buffer" : $"EventDataSize {eventDataSize} is beyond {MaxEventDataSize}")}.");
                return 0;
            }
            if (!NotifyEventDecoder.TryDecode(new ReadOnlySpan<byte>(eventData, (int)eventDataSize), action, out var decoded, out var error))
            {
                target.OnMalformed(error!);
                return 0;
            }
            return target.OnNotification(notification, action, decoded);
        }
        catch (Exception)
        {
            return 0;   // an exception must not cross into cfgmgr32
        }
        finally
        {
            t_depth--;
        }
    }
}
