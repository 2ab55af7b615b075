namespace DeviceNotify;

/// <summary>The outcome of a negotiated removal: who was asked, who answered what, who holds what.</summary>
public sealed record RemovalResult
{
    /// <summary>What was requested.</summary>
    public RemovalOperation Operation { get; init; }

    /// <summary>The device the request resolved to.</summary>
    public required Device Device { get; init; }

    /// <summary>True when the operation was carried out.</summary>
    public bool Succeeded { get; init; }

    /// <summary>Why it failed, as data (<see cref="RemovalFailure.None"/> on success).</summary>
    public RemovalFailure Failure { get; init; }

    /// <summary>Every registration asked and every holder found, with their answers.</summary>
    public IReadOnlyList<PartyResponse> Parties { get; init; } = [];

    /// <summary>What stopped the operation, in one sentence (null on success).</summary>
    public string? Error { get; init; }

    /// <summary>
    /// What the holder scan could not see (processes whose <c>/proc</c> entries were unreadable or did not answer in
    /// time). They did not veto; the kernel still refuses if they hold the volume.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>True when vetoes were overridden (<see cref="RemovalOptions.Force"/>).</summary>
    public bool Forced { get; init; }

    /// <summary>The parties that vetoed.</summary>
    public IEnumerable<PartyResponse> Vetoes => Parties.Where(p => p.Veto != VetoType.None);
}
