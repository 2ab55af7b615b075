// "Watch my serial ports": prints the serial ports present, then every one plugged in or pulled out, until Ctrl-C.
// `serial-ports --once` prints the ports present and exits.
using System.Runtime.InteropServices;
using DeviceNotify;

bool once = args.Contains("--once");
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });

await using var watcher = await DeviceWatcher.StartNewAsync();

if (once)
{
    foreach (var port in watcher.GetInterfaces(InterfaceClass.ComPort))
        Console.WriteLine($"  {Describe(port)}");
    return 0;
}

// Existing ports first (exactly once), then arrivals and removals as they happen, one at a time, in order.
using var registration = watcher.Register(DeviceFilter.ForInterfaces(InterfaceClass.ComPort), n =>
{
    switch (n.Action)
    {
        case NotificationAction.InterfaceArrival:
            Console.WriteLine($"{(n.IsSynthesized ? " " : "+")} {Describe(n.Interface!)}");
            break;
        case NotificationAction.InterfaceRemoval:
            Console.WriteLine($"- {n.Interface!.Path}");
            break;
        case NotificationAction.Overflow:
            Console.WriteLine("! events were lost; catching up");
            break;
        case NotificationAction.Ended when n.End!.Error is { } error:
            Console.Error.WriteLine($"serial-ports: {error.Message}");
            stop.Cancel();
            break;
    }
}, new RegistrationOptions { IncludeExisting = true });

try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
    // Ctrl-C or SIGTERM.
}
return 0;

// A USB adapter's port sits below its USB device in sysfs: say which bus it is on.
static string Describe(DeviceInterface port)
{
    var d = port.Device;
    string bus = d.DevPath.Contains("/usb", StringComparison.Ordinal) ? "usb" : d.DevPath.Contains("/pnp", StringComparison.Ordinal) ? "on-board" : "other";
    return $"{port.Path,-16} {bus,-9} {d.DevPath}";
}
