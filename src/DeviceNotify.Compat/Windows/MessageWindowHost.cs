using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace DeviceNotify.Compat.Windows;

// Implementation notes:
// - A real message-only window (parent HWND_MESSAGE) on a thread of its own that runs the message loop, so
//   RegisterDeviceNotification(hwnd, ...) works exactly as for any window. The class's window procedure is one
//   [UnmanagedCallersOnly] function that hands WM_DEVICECHANGE to the caller's WNDPROC (found by hwnd) and
//   everything else to DefWindowProcW; on WM_DESTROY it ends the loop.
// - Destroy posts WM_CLOSE (DestroyWindow must run on the window's own thread); the default handling destroys it.
// - Not run on Windows here (see the README).
[SupportedOSPlatform("windows")]
internal static unsafe partial class MessageWindowHost
{
    private const uint WM_DESTROY = 0x0002;
    private const uint WM_CLOSE = 0x0010;
    private static readonly nint HWND_MESSAGE = -3;
    private static readonly ConcurrentDictionary<nint, WNDPROC> s_procedures = new();
    private static readonly object s_classGate = new();
    private static bool s_classRegistered;
    private const string ClassName = "DeviceNotify.Compat.MessageWindow";

    internal static nint Create(WNDPROC windowProcedure)
    {
        nint hwnd = 0;
        int error = 0;
        using var ready = new ManualResetEventSlim();
        var thread = new Thread(() =>
        {
            hwnd = CreateOnThisThread(windowProcedure, out error);
            ready.Set();
            if (hwnd != 0)
                RunLoop();
        })
        { IsBackground = true, Name = "DeviceNotify message window" };
        thread.Start();
        ready.Wait();
        Marshal.SetLastPInvokeError(error);
        return hwnd;
    }

    internal static bool Destroy(nint hwnd)
    {
        if (!s_procedures.ContainsKey(hwnd))
        {
            Marshal.SetLastPInvokeError((int)WinError.ERROR_INVALID_WINDOW_HANDLE);
            return false;
        }
        return PostMessageW(hwnd, WM_CLOSE, 0, 0) != 0;
    }

    private static nint CreateOnThisThread(WNDPROC windowProcedure, out int error)
    {
        nint instance = GetModuleHandleW(null);
        fixed (char* className = ClassName)
        {
            lock (s_classGate)
            {
                if (!s_classRegistered)
                {
                    var wc = new WNDCLASSEXW
                    {
                        cbSize = (uint)sizeof(WNDCLASSEXW),
                        lpfnWndProc = (nint)(delegate* unmanaged[Stdcall]<nint, uint, nuint, nint, nint>)&WindowProcedure,
                        hInstance = instance,
                        lpszClassName = className,
                    };
                    if (RegisterClassExW(&wc) == 0)
                    {
                        error = Marshal.GetLastPInvokeError();
                        return 0;
                    }
                    s_classRegistered = true;
                }
            }
            nint hwnd = CreateWindowExW(0, className, className, 0, 0, 0, 0, 0, HWND_MESSAGE, 0, instance, null);
            error = hwnd == 0 ? Marshal.GetLastPInvokeError() : 0;
            if (hwnd != 0)
                s_procedures[hwnd] = windowProcedure;
            return hwnd;
        }
    }

    private static void RunLoop()
    {
        MSG msg;
        while (GetMessageW(&msg, 0, 0, 0) > 0)
        {
            TranslateMessage(&msg);
            DispatchMessageW(&msg);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static nint WindowProcedure(nint hwnd, uint msg, nuint wParam, nint lParam)
    {
        if (msg == Dbt.WM_DEVICECHANGE && s_procedures.TryGetValue(hwnd, out var procedure))
        {
            try
            {
                return procedure(hwnd, msg, wParam, lParam);
            }
            catch (Exception)
            {
                return 0;   // an exception must not cross into user32; the event is granted
            }
        }
        if (msg == WM_DESTROY)
        {
            s_procedures.TryRemove(hwnd, out _);
            PostQuitMessage(0);
        }
        return DefWindowProcW(hwnd, msg, wParam, lParam);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct WNDCLASSEXW
    {
        public uint cbSize;
        public uint style;
        public nint lpfnWndProc;
        public int cbClsExtra;
        public int cbWndExtra;
        public nint hInstance;
        public nint hIcon;
        public nint hCursor;
        public nint hbrBackground;
        public char* lpszMenuName;
        public char* lpszClassName;
        public nint hIconSm;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MSG
    {
        public nint hwnd;
        public uint message;
        public nuint wParam;
        public nint lParam;
        public uint time;
        public int ptX;
        public int ptY;
        public uint lPrivate;
    }

    [LibraryImport("user32.dll", SetLastError = true)]
    private static partial ushort RegisterClassExW(WNDCLASSEXW* lpwcx);

    [LibraryImport("user32.dll", SetLastError = true)]
    private static partial nint CreateWindowExW(uint dwExStyle, char* lpClassName, char* lpWindowName, uint dwStyle, int x, int y,
        int nWidth, int nHeight, nint hWndParent, nint hMenu, nint hInstance, void* lpParam);

    [LibraryImport("user32.dll")]
    private static partial int GetMessageW(MSG* lpMsg, nint hWnd, uint wMsgFilterMin, uint wMsgFilterMax);

    [LibraryImport("user32.dll")]
    private static partial int TranslateMessage(MSG* lpMsg);

    [LibraryImport("user32.dll")]
    private static partial nint DispatchMessageW(MSG* lpMsg);

    [LibraryImport("user32.dll")]
    private static partial nint DefWindowProcW(nint hWnd, uint Msg, nuint wParam, nint lParam);

    [LibraryImport("user32.dll", SetLastError = true)]
    private static partial int PostMessageW(nint hWnd, uint Msg, nuint wParam, nint lParam);

    [LibraryImport("user32.dll")]
    private static partial void PostQuitMessage(int nExitCode);

    [LibraryImport("kernel32.dll", StringMarshalling = StringMarshalling.Utf16)]
    private static partial nint GetModuleHandleW(string? lpModuleName);
}
