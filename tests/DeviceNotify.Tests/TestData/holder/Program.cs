// A program that holds something on a volume and registers its handle, written against DeviceNotify's public API
// only: nothing here knows about the broker. The broker tests build it (BrokerTests' HolderProgram) and run it as
// another process; with DEVNOTIFY_SOCKET pointing at a running broker, its registration is asked by requests made in
// other processes.
//
//   dnholder file PATH   MODE   write 200 kB to PATH and keep it open (prints "sha256 HEX" of what was written)
//   dnholder device NODE MODE   keep a block device node open
// MODE: accept (close, then accept), veto:REASON (keep it open and refuse), defer (never answer).
// Prints "ready PID" once registered, "event NAME" for each notification, "closed" / "reopened" when it lets go of
// the handle and takes it again. Exits on "quit" or end of input.
using System.Security.Cryptography;
using DeviceNotify;

string kind = args[0], path = args[1], mode = args[2];
using var watcher = DeviceWatcher.StartNew();
var gate = new object();
FileStream? held = Open();
if (kind == "file")
{
    var data = new byte[200_000];
    new Random(7).NextBytes(data);
    held!.Write(data);
    held.Flush(flushToDisk: true);
    Say($"sha256 {Convert.ToHexString(SHA256.HashData(data))}");
}

using var registration = watcher.RegisterHandle(held!, n =>
{
    string name = n.CustomEvent is { } e ? VolumeEvents.NameOf(e.EventGuid) : n.Action.ToString();
    Say($"event {name}");
    if (n.Query is { } query)
    {
        if (mode == "accept")
        {
            Close();
            query.Accept();
        }
        else if (mode.StartsWith("veto:", StringComparison.Ordinal))
        {
            query.Veto(mode["veto:".Length..]);
        }
        else
        {
            query.Defer();
        }
    }
    else if (n.CustomEvent?.EventGuid == VolumeEvents.VolumeDismountFailed || n.CustomEvent?.EventGuid == VolumeEvents.VolumeLockFailed
             || n.CustomEvent?.EventGuid == VolumeEvents.VolumeUnlock || n.Action == NotificationAction.QueryRemoveFailed)
    {
        Reopen();
    }
}, new RegistrationOptions { Name = "holder " + Path.GetFileName(path) });

Say($"ready {Environment.ProcessId}");
while (Console.ReadLine() is { } line && line != "quit")
{
}
Close();
return 0;

FileStream Open() => kind == "file"
    ? new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite)
    : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);

void Close()
{
    lock (gate)
    {
        if (held is null)
            return;
        held.Flush(flushToDisk: kind == "file");
        held.Dispose();
        held = null;
    }
    Say("closed");
}

void Reopen()
{
    lock (gate)
    {
        if (held is not null)
            return;
        held = Open();
    }
    Say("reopened");
}

static void Say(string line)
{
    lock (Console.Out)
    {
        Console.Out.WriteLine(line);
        Console.Out.Flush();
    }
}
