// The smoke program of the Windows build. CI publishes it for win-x64 (nothing can run it there: there is no Windows
// here) and runs it on Linux. On either system it lists the interfaces of the built-in classes twice, through
// DeviceNotify's API (DeviceWatcher: cfgmgr32 on Windows, the kernel on Linux) and through the compatibility
// functions (CM_Get_Device_Interface_List), says whether the two lists agree, then prints arrivals and removals for
// the given number of seconds.
//
//   WindowsSmoke [SECONDS]    exit code 0 when the lists agree, 1 otherwise
using DeviceNotify;
using DeviceNotify.Compat;
using static DeviceNotify.Compat.CfgMgr32;
using static DeviceNotify.Compat.CONFIGRET;

namespace WindowsSmoke;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        int seconds = args.Length > 0 && int.TryParse(args[0], out int s) ? s : 0;
        Console.WriteLine($"DeviceNotify smoke on {Environment.OSVersion} ({System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture})");
        await using var watcher = await DeviceWatcher.StartNewAsync();
        bool agree = true;
        foreach (var cls in InterfaceClass.BuiltIn)
        {
            // The two lists come from two watchers: a device that comes or goes between them is asked about again.
            List<string> viaApi = [], viaCompat = [];
            bool same = false;
            for (int attempt = 0; attempt < 3 && !same; attempt++)
            {
                if (attempt > 0)
                    await Task.Delay(500);
                viaApi = watcher.GetInterfaces(cls).Select(i => i.Path).Order(StringComparer.OrdinalIgnoreCase).ToList();
                viaCompat = List(cls.Guid).Order(StringComparer.OrdinalIgnoreCase).ToList();
                same = viaApi.SequenceEqual(viaCompat, StringComparer.OrdinalIgnoreCase);
            }
            agree &= same;
            Console.WriteLine($"{cls.Name,-15} {viaApi.Count,3} interfaces{(same ? "" : $" (CM_Get_Device_Interface_List says {viaCompat.Count})")}");
            foreach (var path in viaApi)
                Console.WriteLine($"    {path}");
        }
        if (seconds > 0)
        {
            using var registration = watcher.Register(DeviceFilter.AllInterfaceClasses, n => Console.WriteLine($"{n.Action,-18} {n.Interface?.Class.Name,-15} {n.Interface?.Path}"));
            await Task.Delay(TimeSpan.FromSeconds(seconds));
        }
        Console.WriteLine(agree ? "the two lists agree" : "the two lists differ");
        return agree ? 0 : 1;
    }

    private static unsafe List<string> List(Guid classGuid)
    {
        CONFIGRET cr;
        char[] buffer;
        do
        {
            uint length;
            cr = CM_Get_Device_Interface_List_Size(&length, &classGuid, null, CM_GET_DEVICE_INTERFACE_LIST_PRESENT);
            if (cr != CR_SUCCESS)
                return [];
            buffer = new char[length];
            fixed (char* b = buffer)
                cr = CM_Get_Device_Interface_List(&classGuid, null, b, length, CM_GET_DEVICE_INTERFACE_LIST_PRESENT);
        }
        while (cr == CR_BUFFER_SMALL);
        return cr == CR_SUCCESS ? new string(buffer).Split('\0', StringSplitOptions.RemoveEmptyEntries).ToList() : [];
    }
}
