using DeviceNotify.Broker;
using Wire = DeviceNotify.Broker.Protocol;

namespace DeviceNotify.Daemon.Service;

// Implementation notes:
// - A handle registered by another process, as the coordinator sees it: asking sends a Question on that process's
//   session and waits for its Answer; telling sends a Notice. Neither blocks: a session whose queue is full is ended.
// - Its device is what an observing handle registration on the broker's watcher (DeviceFilter.ObserveHandle, which
//   is not itself a party) is bound to: it follows renames and is unbound for good once the device or an ancestor
//   was removed, exactly as the client's own registration is after RemoveComplete.
// - A session that ends while a question is open answers it "accept": its process may still hold the target, and then
//   the holder scan that follows the answers names it (DESIGN.md §3, the holder scan decides).
/// <summary>A handle registration of another process, asked through its session.</summary>
internal sealed class RemoteParty(ClientSession session, ulong registration, string name, DeviceRegistration observer) : RemovalParty
{
    public override string Name => name;

    public override int ProcessId => session.Peer.ProcessId;

    public override string? ProcessName => session.ProcessName;

    public override Device? Device => observer.BoundDevice;

    internal ulong Registration => registration;

    public override async Task<PartyAnswer> AskAsync(RemovalMessage question, CancellationToken cancellationToken)
    {
        var round = RoundContext.Current;
        round?.Asked(session);
        var open = session.OpenQuestion(this);
        var message = new Wire.SessionResponse
        {
            Question = new Wire.Question
            {
                Id = open.Id,
                Registration = registration,
                Round = round?.Id ?? 0,
                Message = WireRemoval.Encode(question, WireDevices.Encode(question.Device)),
                Requester = round?.Requester,
            },
        };
        if (!session.Send(message))
            open.Answer(PartyAnswer.Accepted);
        using (cancellationToken.Register(() => session.Withdraw(open.Id)))
            return await open.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Tell(RemovalMessage notice)
    {
        var round = RoundContext.Current;
        round?.Asked(session);
        session.Send(new Wire.SessionResponse
        {
            Notice = new Wire.Notice
            {
                Registration = registration,
                Round = round?.Id ?? 0,
                Message = WireRemoval.Encode(notice, WireDevices.Encode(notice.Device)),
            },
        });
    }
}
