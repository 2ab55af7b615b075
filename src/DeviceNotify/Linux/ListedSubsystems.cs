namespace DeviceNotify.Linux;

// Implementation notes:
// - The sysfs walk lists devices under /sys/class/NAME, /sys/bus/NAME/devices and /sys/block. A kobject of any
//   other subsystem (a net interface's queues: SUBSYSTEM=queues) sends uevents but no walk can list it, so no
//   resynchronisation can know it either: the dispatcher passes its events through but does not keep it in the
//   device table (in a tap storm that is two kobjects of every three).
// - Called on the reader thread for each event, before routing. Known names are a set; an unknown name costs two
//   directory checks, and a "no" is remembered for a few seconds (a module loading later may add the directory).
/// <summary>Which subsystems the sysfs walk can list.</summary>
internal sealed class ListedSubsystems(string sysfsRoot)
{
    private static readonly long NegativeLifetimeMs = 5000;
    private readonly HashSet<string> _listed = new(StringComparer.Ordinal) { "block" };
    private readonly Dictionary<string, long> _unlistedUntil = new(StringComparer.Ordinal);

    internal bool IsListed(string subsystem)
    {
        if (_listed.Contains(subsystem))
            return true;
        long now = Environment.TickCount64;
        if (_unlistedUntil.TryGetValue(subsystem, out long until) && now < until)
            return false;
        if (Directory.Exists($"{sysfsRoot}/class/{subsystem}") || Directory.Exists($"{sysfsRoot}/bus/{subsystem}"))
        {
            _listed.Add(subsystem);
            _unlistedUntil.Remove(subsystem);
            return true;
        }
        _unlistedUntil[subsystem] = now + NegativeLifetimeMs;
        return false;
    }
}
