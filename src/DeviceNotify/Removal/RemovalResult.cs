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

    /// <summary>Every registration asked and every holder found, with their answers.</summary>
    public IReadOnlyList<PartyResponse> Parties { get; init; } = [];

    /// <summary>What stopped the operation, in one sentence (null on success).</summary>
    public string? Error { get; init; }

    /// <summary>True when vetoes were overridden (<see cref="RemovalOptions.Force"/>).</summary>
    public bool Forced { get; init; }

    /// <summary>The parties that vetoed.</summary>
    public IEnumerable<PartyResponse> Vetoes => Parties.Where(p => p.Veto != VetoType.None);
}
