namespace DeviceNotify;

/// <summary>One party of a negotiation and what it said: a registration that was asked, or a holder that was found.</summary>
public sealed record PartyResponse
{
    /// <summary>The registration's name, the holder's command, or "kernel" for a refusal by the system.</summary>
    public required string Name { get; init; }

    /// <summary>The party's process (0 for the kernel and for kernel holders such as swap or a loop device).</summary>
    public int ProcessId { get; init; }

    /// <summary>The process's command name (<c>/proc/PID/comm</c>).</summary>
    public string? ProcessName { get; init; }

    /// <summary>
    /// For a holder process: its start time in clock ticks since boot (<c>/proc/PID/stat</c> field 22). Together with
    /// <see cref="ProcessId"/> it names one process, not a later one that reused the pid; 0 otherwise.
    /// </summary>
    public ulong ProcessStartTime { get; init; }

    /// <summary>True when the party was a registration that was asked; false for a holder found by scanning.</summary>
    public bool WasAsked { get; init; }

    /// <summary>For a holder: how it was found (an open descriptor, a working directory, swap, ...); <see cref="HolderKind.None"/> for an asked party.</summary>
    public HolderKind FoundBy { get; init; }

    /// <summary>None when it accepted; otherwise why it stops the removal.</summary>
    public VetoType Veto { get; init; }

    /// <summary>The veto's reason (the veto name), or what the holder holds.</summary>
    public string? Reason { get; init; }

    /// <summary>For a refusal by the operating system: its error number (on Linux the errno: EBUSY, EPERM, ...); 0 otherwise.</summary>
    public int Errno { get; init; }

    /// <summary>One line: name, pid, answer.</summary>
    public override string ToString() => Veto == VetoType.None
        ? $"{Name} (pid {ProcessId}): accepted"
        : $"{Name} (pid {ProcessId} {ProcessName}): {Veto}{(Reason is null ? "" : ": " + Reason)}";
}
