namespace DeviceNotify;

/// <summary>How a removal request is negotiated.</summary>
public sealed class RemovalOptions
{
    /// <summary>The default time each handler has to answer.</summary>
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(30);

    /// <summary>How long each handler has to answer; no answer is a veto (<see cref="VetoType.Timeout"/>).</summary>
    public TimeSpan Deadline { get; init; } = DefaultDeadline;

    /// <summary>Act despite vetoes (a busy mount is then detached lazily). Off unless asked.</summary>
    public bool Force { get; init; }
}
