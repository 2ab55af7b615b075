using System.Runtime.Versioning;

namespace DeviceNotify.Compat.Linux;

// Implementation notes:
// - A recipient stands for what Windows delivers WM_DEVICECHANGE / SERVICE_CONTROL_DEVICEEVENT to: a window
//   (MessageWindow.Create, the window procedure) or a service (RegisterServiceCtrlHandlerEx, the HandlerEx).
// - Windows calls one window's procedure, or one service's handler, from one thread at a time (the window's thread;
//   the service's control dispatcher). Every registration delivering to the same recipient therefore takes its lock,
//   so the recipient's calls never overlap even though DeviceNotify delivers registrations concurrently.
// - A destroyed window gets nothing more (Windows drops messages to a window that is gone).
[SupportedOSPlatform("linux")]
internal sealed unsafe class Recipient
{
    private static readonly HandleTable<Recipient> s_table = new(0x3000_0000);
    private readonly object _gate = new();
    private readonly WNDPROC? _windowProcedure;
    private readonly LPHANDLER_FUNCTION_EX? _handler;
    private readonly nint _context;
    private volatile bool _gone;

    private Recipient(WNDPROC? windowProcedure, LPHANDLER_FUNCTION_EX? handler, nint context)
    {
        _windowProcedure = windowProcedure;
        _handler = handler;
        _context = context;
    }

    internal nint Handle { get; private set; }

    internal bool IsWindow => _windowProcedure is not null;

    internal bool IsService => _handler is not null;

    internal static nint CreateWindow(WNDPROC windowProcedure) => Add(new Recipient(windowProcedure, null, 0));

    internal static nint CreateService(LPHANDLER_FUNCTION_EX handler, nint context) => Add(new Recipient(null, handler, context));

    internal static Recipient? Find(nint handle) => s_table.TryGet(handle, out var r) ? r : null;

    internal static bool Destroy(nint handle)
    {
        if (!s_table.Remove(handle, out var r))
            return false;
        r._gone = true;
        return true;
    }

    /// <summary>Delivers one device event; returns why the recipient denied it (a query's veto), or null when it granted.</summary>
    internal string? Deliver(uint eventType, void* data)
    {
        lock (_gate)
        {
            if (_gone)
                return null;
            if (_windowProcedure is not null)
            {
                nint result = _windowProcedure(Handle, Dbt.WM_DEVICECHANGE, eventType, (nint)data);
                return result == Dbt.BROADCAST_QUERY_DENY ? "the window procedure returned BROADCAST_QUERY_DENY" : null;
            }
            // HandlerEx: NO_ERROR grants; "an error code" denies (ERROR_CANCELLED is the usual one).
            uint code = _handler!(AdvApi32.SERVICE_CONTROL_DEVICEEVENT, eventType, data, (void*)_context);
            return code == WinError.NO_ERROR ? null
                : $"the service's HandlerEx returned {(code == WinError.ERROR_CANCELLED ? "ERROR_CANCELLED" : "error " + code)}";
        }
    }

    private static nint Add(Recipient r) => r.Handle = s_table.Add(r);
}
