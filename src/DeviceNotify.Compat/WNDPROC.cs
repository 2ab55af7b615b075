using System.Runtime.InteropServices;

namespace DeviceNotify.Compat;

/// <summary>
/// <c>WNDPROC</c> (winuser.h): a window procedure. For device events <paramref name="uMsg"/> is
/// <see cref="Dbt.WM_DEVICECHANGE"/>, <paramref name="wParam"/> a <c>DBT_*</c> event and <paramref name="lParam"/> a
/// <c>DEV_BROADCAST_HDR*</c>. Return TRUE (1) to grant a query, <see cref="Dbt.BROADCAST_QUERY_DENY"/> to deny it.
/// </summary>
/// <param name="hWnd">The window (from <see cref="MessageWindow.Create"/>).</param>
/// <param name="uMsg">The message.</param>
/// <param name="wParam">The message's first parameter.</param>
/// <param name="lParam">The message's second parameter.</param>
[UnmanagedFunctionPointer(CallingConvention.Winapi)]
public delegate nint WNDPROC(nint hWnd, uint uMsg, nuint wParam, nint lParam);
