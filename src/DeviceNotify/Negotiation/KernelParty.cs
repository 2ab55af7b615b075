namespace DeviceNotify.Negotiation;

/// <summary>
/// The system itself as a party in a removal result: something that holds a device without being a process (a mount,
/// swap, a loop or stacked device), or the refusal of the act. One shape, so every result names them alike.
/// </summary>
internal static class KernelParty
{
    private const string Kernel = "kernel";

    /// <summary>A holder the kernel keeps (an outstanding open), named <paramref name="name"/> (a device, a mount, a namespace).</summary>
    internal static PartyResponse Holder(string name, HolderKind kind, string reason) => new()
    {
        Name = name,
        ProcessName = Kernel,
        FoundBy = kind,
        Veto = VetoType.OutstandingOpen,
        Reason = reason,
    };

    /// <summary>The kernel refused the act with <paramref name="errno"/> (0 when there is none); <paramref name="reason"/> says what was refused.</summary>
    internal static PartyResponse Refused(int errno, string reason) => new()
    {
        Name = Kernel,
        ProcessName = Kernel,
        Veto = VetoType.KernelRefused,
        Errno = errno,
        Reason = reason,
    };
}
