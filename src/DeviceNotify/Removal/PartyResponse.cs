namespace DeviceNotify;

/// <summary>One party of a negotiation and what it said.</summary>
public sealed record PartyResponse
{
    /// <summary>The registration's name, or the holder's command.</summary>
    public required string Name { get; init; }

    /// <summary>The process: this one for registrations, the holder's for outstanding opens.</summary>
    public int ProcessId { get; init; }

    /// <summary>The process's command name (<c>/proc/PID/comm</c>).</summary>
    public string? ProcessName { get; init; }

    /// <summary>True when the party was a registration that was asked; false for a holder found in /proc.</summary>
    public bool WasAsked { get; init; }

    /// <summary>None when it accepted; otherwise why it vetoed.</summary>
    public VetoType Veto { get; init; }

    /// <summary>The veto's reason (the veto name), or what the holder holds.</summary>
    public string? Reason { get; init; }

    /// <summary>One line: name, pid, answer.</summary>
    public override string ToString() => Veto == VetoType.None
        ? $"{Name} (pid {ProcessId}): accepted"
        : $"{Name} (pid {ProcessId} {ProcessName}): {Veto}{(Reason is null ? "" : ": " + Reason)}";
}
