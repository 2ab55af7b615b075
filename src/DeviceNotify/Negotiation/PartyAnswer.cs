namespace DeviceNotify;

/// <summary>A party's answer to a removal question.</summary>
/// <param name="Veto"><see cref="VetoType.None"/> to accept; otherwise why the party refuses.</param>
/// <param name="Reason">The veto's reason (shown to the requester as the veto name); null when accepted.</param>
public readonly record struct PartyAnswer(VetoType Veto, string? Reason)
{
    /// <summary>The party agrees: its handle is closed (or will not be used).</summary>
    public static PartyAnswer Accepted => default;

    /// <summary>The party refuses, saying why.</summary>
    public static PartyAnswer Vetoed(string reason) => new(VetoType.ApplicationVeto, reason);

    /// <summary>True when the answer is a veto.</summary>
    public bool IsVeto => Veto != VetoType.None;
}
