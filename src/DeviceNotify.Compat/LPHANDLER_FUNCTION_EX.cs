using System.Runtime.InteropServices;

namespace DeviceNotify.Compat;

/// <summary>
/// <c>LPHANDLER_FUNCTION_EX</c> (winsvc.h): a service's control handler. For device events
/// <paramref name="dwControl"/> is <see cref="AdvApi32.SERVICE_CONTROL_DEVICEEVENT"/>, <paramref name="dwEventType"/>
/// a <c>DBT_*</c> event and <paramref name="lpEventData"/> a <c>DEV_BROADCAST_HDR*</c>. Return
/// <see cref="WinError.NO_ERROR"/> to grant a query, an error code (such as <see cref="WinError.ERROR_CANCELLED"/>) to deny it.
/// </summary>
/// <param name="dwControl">The control code.</param>
/// <param name="dwEventType">The event type.</param>
/// <param name="lpEventData">The event data.</param>
/// <param name="lpContext">The context given to <see cref="AdvApi32.RegisterServiceCtrlHandlerEx"/>.</param>
[UnmanagedFunctionPointer(CallingConvention.Winapi)]
public unsafe delegate uint LPHANDLER_FUNCTION_EX(uint dwControl, uint dwEventType, void* lpEventData, void* lpContext);
