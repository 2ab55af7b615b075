// A port of "Registering for Notification of Device Interface Arrival and Device Removal" (the Windows driver
// documentation page in shared/seeds/000_45575b6d59781a43.txt), steps 1-6, in the shape of the C calling sequence:
// the same functions, structures, constants and callback table, through DeviceNotify.Compat. On Windows the calls go
// to cfgmgr32/kernel32; on Linux they run on DeviceNotify. README.md lists what had to change.
//
//   CmNotificationPort [--class disk|volume|net|GUID] [--interface PATH] [--eject] [--timeout SECONDS]
//
// --interface picks the interface to open (default: the first one listed or arriving). --eject asks for the
// device's removal (CM_Query_And_Remove_SubTree) once step 4 is done, so the step 5 table runs. The program ends
// when its interface is removed, or after the timeout (exit code 1).
using System.Runtime.InteropServices;
using DeviceNotify.Compat;
using static DeviceNotify.Compat.CfgMgr32;
using static DeviceNotify.Compat.CM_NOTIFY_ACTION;
using static DeviceNotify.Compat.CM_NOTIFY_FILTER_TYPE;
using static DeviceNotify.Compat.CONFIGRET;
using static DeviceNotify.Compat.Kernel32;
using static DeviceNotify.Compat.WinError;

namespace CmNotificationPort;

internal static unsafe class Program
{
    private const int MAX_PATH = 260;

    private static readonly object g_Lock = new();
    private static readonly ManualResetEventSlim g_Done = new();
    private static readonly PCM_NOTIFY_CALLBACK g_InterfaceCallback = InterfaceCallback;   // kept alive: Windows calls it
    private static readonly PCM_NOTIFY_CALLBACK g_HandleCallback = HandleCallback;
    private static HCMNOTIFICATION g_InterfaceNotification;
    private static HCMNOTIFICATION g_HandleNotification;
    private static nint g_DeviceHandle = INVALID_HANDLE_VALUE;
    private static string? g_SymbolicLink;
    private static string? g_Wanted;
    private static Guid g_ClassGuid = DeviceInterfaceGuids.GUID_DEVINTERFACE_DISK;

    private static int Main(string[] args)
    {
        bool eject = false;
        int timeout = 60;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--class" when i + 1 < args.Length: g_ClassGuid = ParseClass(args[++i]); break;
                case "--interface" when i + 1 < args.Length: g_Wanted = args[++i]; break;
                case "--eject": eject = true; break;
                case "--timeout" when i + 1 < args.Length: timeout = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine("usage: CmNotificationPort [--class disk|volume|net|GUID] [--interface PATH] [--eject] [--timeout SECONDS]");
                    return 2;
            }
        }

        // Step 1: register for interface arrival (and removal) of the class.
        CM_NOTIFY_FILTER filter = default;
        filter.cbSize = (uint)sizeof(CM_NOTIFY_FILTER);
        filter.FilterType = CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE;
        filter.u.DeviceInterface.ClassGuid = g_ClassGuid;
        HCMNOTIFICATION notification;
        CONFIGRET cr = CM_Register_Notification(&filter, null, g_InterfaceCallback, &notification);
        if (cr != CR_SUCCESS)
            return Fail($"step 1: CM_Register_Notification failed: {cr}");
        g_InterfaceNotification = notification;
        Say("step 1: registered for interface arrival");

        // Step 2: the interface may already be present: list the existing ones (retry if one arrives meanwhile).
        uint length;
        char[] buffer;
        Guid classGuid = g_ClassGuid;
        do
        {
            cr = CM_Get_Device_Interface_List_Size(&length, &classGuid, null, CM_GET_DEVICE_INTERFACE_LIST_PRESENT);
            if (cr != CR_SUCCESS)
                return Fail($"step 2: CM_Get_Device_Interface_List_Size failed: {cr}");
            buffer = new char[length];
            fixed (char* b = buffer)
                cr = CM_Get_Device_Interface_List(&classGuid, null, b, length, CM_GET_DEVICE_INTERFACE_LIST_PRESENT);
        }
        while (cr == CR_BUFFER_SMALL);
        if (cr != CR_SUCCESS)
            return Fail($"step 2: CM_Get_Device_Interface_List failed: {cr}");
        for (int at = 0; at < buffer.Length && buffer[at] != '\0';)
        {
            int end = Array.IndexOf(buffer, '\0', at);
            string link = new(buffer, at, end - at);
            Say($"step 2: listed {link}");
            OpenIfWanted(link);
            at = end + 1;
        }

        if (eject)
            RequestRemoval();

        bool done = g_Done.Wait(TimeSpan.FromSeconds(timeout));

        // Step 6: finished with the device: unregister the interface notification of step 1.
        cr = CM_Unregister_Notification(g_InterfaceNotification);
        Say($"step 6: CM_Unregister_Notification(interface): {cr}");
        lock (g_Lock)
            CloseDeviceHandle();
        return done ? 0 : Fail("timed out before the interface was removed");
    }

    // Steps 3 and 4: open the interface, then register for notifications on the handle.
    private static void OpenIfWanted(string link)
    {
        lock (g_Lock)
        {
            if (g_SymbolicLink is not null || (g_Wanted is not null && !string.Equals(g_Wanted, link, StringComparison.OrdinalIgnoreCase)))
                return;
            g_DeviceHandle = CreateFile(link, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, null, OPEN_EXISTING, 0, 0);
            if (g_DeviceHandle == INVALID_HANDLE_VALUE)
            {
                Say($"step 3: CreateFile({link}) failed: {GetLastError()}");
                return;
            }
            g_SymbolicLink = link;
            Say($"step 3: opened {link}");
            RegisterHandleNotification();
        }
    }

    private static void RegisterHandleNotification()
    {
        CM_NOTIFY_FILTER filter = default;
        filter.cbSize = (uint)sizeof(CM_NOTIFY_FILTER);
        filter.FilterType = CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE;
        filter.u.DeviceHandle.hTarget = g_DeviceHandle;
        HCMNOTIFICATION notification;
        CONFIGRET cr = CM_Register_Notification(&filter, null, g_HandleCallback, &notification);
        g_HandleNotification = notification;
        Say($"step 4: CM_Register_Notification(handle): {cr}");
    }

    private static uint InterfaceCallback(HCMNOTIFICATION hNotify, void* Context, CM_NOTIFY_ACTION Action, CM_NOTIFY_EVENT_DATA* EventData, uint EventDataSize)
    {
        string link = new(EventData->u.DeviceInterface.SymbolicLink);
        Say($"interface callback: {Action} {link}");
        if (Action == CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL)
            OpenIfWanted(link);
        else if (Action == CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL && string.Equals(link, g_SymbolicLink, StringComparison.OrdinalIgnoreCase))
            g_Done.Set();
        return ERROR_SUCCESS;
    }

    // Step 5: the table of the documentation, one case per action.
    private static uint HandleCallback(HCMNOTIFICATION hNotify, void* Context, CM_NOTIFY_ACTION Action, CM_NOTIFY_EVENT_DATA* EventData, uint EventDataSize)
    {
        Say($"handle callback: {Action}");
        switch (Action)
        {
            case CM_NOTIFY_ACTION_DEVICEQUERYREMOVE:
                // Close the handle, or the query-remove cannot succeed.
                lock (g_Lock)
                    CloseDeviceHandle();
                break;
            case CM_NOTIFY_ACTION_DEVICEQUERYREMOVEFAILED:
                // Unregister the old handle's notifications from a deferred routine, then open and register anew.
                Defer(hNotify, reopen: true);
                break;
            case CM_NOTIFY_ACTION_DEVICEREMOVEPENDING:
            case CM_NOTIFY_ACTION_DEVICEREMOVECOMPLETE:
                // Unregister from a deferred routine; close the handle if it is still open.
                Defer(hNotify, reopen: false);
                lock (g_Lock)
                    CloseDeviceHandle();
                break;
        }
        return ERROR_SUCCESS;
    }

    // The "deferred routine": CM_Unregister_Notification must not run in the callback on Windows (it would wait for
    // the callback itself). The documentation's threadpool work item becomes a thread-pool work item.
    private static void Defer(HCMNOTIFICATION hNotify, bool reopen)
    {
        ThreadPool.QueueUserWorkItem(_ =>
        {
            CONFIGRET cr = CM_Unregister_Notification(hNotify);
            Say($"deferred: CM_Unregister_Notification(handle): {cr}");
            if (!reopen)
                return;
            lock (g_Lock)
            {
                g_DeviceHandle = CreateFile(g_SymbolicLink!, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, null, OPEN_EXISTING, 0, 0);
                if (g_DeviceHandle != INVALID_HANDLE_VALUE)
                    RegisterHandleNotification();
            }
        });
    }

    private static void CloseDeviceHandle()
    {
        if (g_DeviceHandle == INVALID_HANDLE_VALUE)
            return;
        CloseHandle(g_DeviceHandle);
        g_DeviceHandle = INVALID_HANDLE_VALUE;
        Say("closed the device handle");
    }

    // Not one of the six steps: ask for the device's removal, so the table of step 5 runs.
    private static void RequestRemoval()
    {
        string? link;
        lock (g_Lock)
            link = g_SymbolicLink;
        if (link is null)
        {
            Say("eject: nothing opened");
            return;
        }
        DEVPROPKEY key = DEVPKEY_Device_InstanceId;
        uint type, size = MAX_DEVICE_ID_LEN * 2;
        char* instanceId = stackalloc char[MAX_DEVICE_ID_LEN];
        CONFIGRET cr;
        fixed (char* l = link)
            cr = CM_Get_Device_Interface_Property(l, &key, &type, (byte*)instanceId, &size, 0);
        uint devInst = 0;
        if (cr == CR_SUCCESS)
            cr = CM_Locate_DevNode(&devInst, instanceId, CM_LOCATE_DEVNODE_NORMAL);
        if (cr != CR_SUCCESS)
        {
            Say($"eject: cannot find the device instance of {link}: {cr}");
            return;
        }
        PNP_VETO_TYPE vetoType;
        char* vetoName = stackalloc char[MAX_PATH];
        cr = CM_Query_And_Remove_SubTree(devInst, &vetoType, vetoName, MAX_PATH, CM_REMOVE_UI_NOT_OK);
        Say(cr == CR_SUCCESS ? $"eject: {cr}" : $"eject: {cr} {vetoType} {new string(vetoName)}");
    }

    private static Guid ParseClass(string name) => name.ToLowerInvariant() switch
    {
        "disk" => DeviceInterfaceGuids.GUID_DEVINTERFACE_DISK,
        "volume" => DeviceInterfaceGuids.GUID_DEVINTERFACE_VOLUME,
        "net" => DeviceInterfaceGuids.GUID_DEVINTERFACE_NET,
        _ => Guid.Parse(name),
    };

    private static void Say(string line)
    {
        lock (Console.Out)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 1;
    }
}
