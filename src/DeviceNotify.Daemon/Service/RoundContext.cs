using Wire = DeviceNotify.Broker.Protocol;

namespace DeviceNotify.Daemon.Service;

// Implementation notes:
// - One removal request is one round. The request handler begins it (an AsyncLocal, so the coordinator's calls to
//   the remote parties, made in the same async flow, see it) and ends it with the outcome. Every session asked in the
//   round is told RoundEnded, so its client knows no failed notice is owed; a client that loses the broker before
//   that tells its registrations the failed notice itself.
/// <summary>The removal request a question or notice belongs to.</summary>
internal sealed class RoundContext
{
    private static readonly AsyncLocal<RoundContext?> s_current = new();
    private static long s_next;
    private readonly HashSet<ClientSession> _asked = [];

    private RoundContext(ulong id) => Id = id;

    internal ulong Id { get; }

    /// <summary>Who asked, as parties are told.</summary>
    internal Wire.Requester? Requester { get; private init; }

    /// <summary>The round of the current request; null outside one (a VolumeUnlock on release).</summary>
    internal static RoundContext? Current => s_current.Value;

    internal static RoundContext Begin(Wire.Requester requester)
    {
        var round = new RoundContext((ulong)Interlocked.Increment(ref s_next)) { Requester = requester };
        s_current.Value = round;
        return round;
    }

    internal void Asked(ClientSession session)
    {
        lock (_asked)
            _asked.Add(session);
    }

    internal void End(bool succeeded)
    {
        ClientSession[] asked;
        lock (_asked)
            asked = [.. _asked];
        foreach (var session in asked)
            session.Send(new Wire.SessionResponse { RoundEnded = new Wire.RoundEnded { Round = Id, Succeeded = succeeded } });
        s_current.Value = null;
    }
}
