namespace DeviceNotify;

/// <summary>How a removal request is negotiated.</summary>
public sealed class RemovalOptions
{
    /// <summary>The default time parties have to answer.</summary>
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(30);

    /// <summary>The longest deadline accepted.</summary>
    public static readonly TimeSpan MaximumDeadline = TimeSpan.FromDays(1);

    /// <summary>How long the parties have to answer (all at once); no answer is a veto (<see cref="VetoType.Timeout"/>).</summary>
    public TimeSpan Deadline { get; init; } = DefaultDeadline;

    /// <summary>
    /// Act despite vetoes. A dismount that the kernel still refuses as busy is then detached lazily (the filesystem
    /// lives on until its last holder closes), but never when another filesystem is mounted on it. Off unless asked.
    /// </summary>
    public bool Force { get; init; }

    /// <summary>Throws before anything is announced when the options cannot be honoured.</summary>
    internal void Validate()
    {
        if (Deadline <= TimeSpan.Zero || Deadline > MaximumDeadline)
            throw new ArgumentOutOfRangeException(nameof(Deadline), Deadline, $"Deadline must be positive and at most {MaximumDeadline.TotalHours:0} hours.");
    }
}
