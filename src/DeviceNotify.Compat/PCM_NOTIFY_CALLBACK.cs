using System.Runtime.InteropServices;

namespace DeviceNotify.Compat;

/// <summary>
/// <c>PCM_NOTIFY_CALLBACK</c> (cfgmgr32.h): what <see cref="CfgMgr32.CM_Register_Notification"/> calls. Return
/// <see cref="WinError.ERROR_SUCCESS"/>, or <see cref="WinError.ERROR_CANCELLED"/> to veto a
/// <c>CM_NOTIFY_ACTION_DEVICEQUERYREMOVE</c> (and, on Linux, a requested volume dismount or lock).
/// </summary>
/// <param name="hNotify">The registration's handle (the same value the registration returned).</param>
/// <param name="Context">The context pointer given at registration.</param>
/// <param name="Action">What happened.</param>
/// <param name="EventData">The event, in its native layout; valid only during the call.</param>
/// <param name="EventDataSize">How many bytes <paramref name="EventData"/> holds, including the variable part.</param>
[UnmanagedFunctionPointer(CallingConvention.Winapi)]
public unsafe delegate uint PCM_NOTIFY_CALLBACK(HCMNOTIFICATION hNotify, void* Context, CM_NOTIFY_ACTION Action, CM_NOTIFY_EVENT_DATA* EventData, uint EventDataSize);
