using System.Diagnostics;
using System.Threading.Channels;
using DeviceNotify.Broker;
using DeviceNotify.Daemon.Peers;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Wire = DeviceNotify.Broker.Protocol;

namespace DeviceNotify.Daemon.Service;

// Implementation notes:
// - One Session call of one client process: its handle registrations (remote parties added to the broker's
//   coordinator), the questions sent to it, and a bounded outgoing queue written by one loop. Sending never blocks:
//   a full queue means the client stopped reading its session, and the session is ended (its parties are removed,
//   its open questions are answered "accept" and the holder scan decides).
// - A client answers only its own questions: answers are looked up among this session's open questions; any other
//   id gets a SessionError naming the rule, and changes nothing.
// - Registrations are checked (HandleCheck): the process must hold what it registers.
/// <summary>The broker's side of one client's Session call.</summary>
internal sealed class ClientSession : IStallable, IDisposable
{
    private static long s_nextQuestion;
    private readonly BrokerState _state;
    private readonly Channel<Wire.SessionResponse> _outgoing;
    private readonly CancellationTokenSource _cancel;
    private readonly object _gate = new();
    private readonly Dictionary<ulong, (RemoteParty Party, IDisposable Lease, DeviceRegistration Observer)> _parties = [];
    private readonly Dictionary<ulong, OpenQuestion> _questions = [];
    private long _writeStartedAt;
    private string? _cutReason;
    private bool _ended;

    internal ClientSession(BrokerState state, PeerCredentials peer, CancellationToken call)
    {
        _state = state;
        Peer = peer;
        ProcessName = PeerProcess.Command(peer.ProcessId);
        _outgoing = Channel.CreateBounded<Wire.SessionResponse>(new BoundedChannelOptions(state.Options.SessionQueue) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(call, state.Stopping);
    }

    internal PeerCredentials Peer { get; }

    internal string ProcessName { get; }

    internal CancellationToken Token => _cancel.Token;

    /// <summary>Why the broker ended the session, when it did.</summary>
    internal string? CutReason => Volatile.Read(ref _cutReason);

    public long WriteStartedAt => Volatile.Read(ref _writeStartedAt);

    /// <summary>Queues a message for the client; false (and the session ends) when its queue is full.</summary>
    internal bool Send(Wire.SessionResponse response)
    {
        if (_outgoing.Writer.TryWrite(response))
            return true;
        Cut($"its queue of {_state.Options.SessionQueue} messages filled: the client stopped reading its session");
        return false;
    }

    internal OpenQuestion OpenQuestion(RemoteParty party)
    {
        var question = new OpenQuestion((ulong)Interlocked.Increment(ref s_nextQuestion), party);
        lock (_gate)
        {
            if (_ended)
                question.Answer(Gone);
            else
                _questions[question.Id] = question;
        }
        return question;
    }

    /// <summary>The coordinator stopped waiting (deadline, cancellation): later answers to it are refused.</summary>
    internal void Withdraw(ulong question)
    {
        lock (_gate)
            _questions.Remove(question);
    }

    internal async Task WriteLoopAsync(IServerStreamWriter<Wire.SessionResponse> responses)
    {
        try
        {
            await foreach (var response in _outgoing.Reader.ReadAllAsync(Token).ConfigureAwait(false))
            {
                Volatile.Write(ref _writeStartedAt, Stopwatch.GetTimestamp());
                await responses.WriteAsync(response, Token).ConfigureAwait(false);
                Volatile.Write(ref _writeStartedAt, 0);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The call ended (client gone, stall, broker stopping): the read loop ends too.
        }
        finally
        {
            Volatile.Write(ref _writeStartedAt, 0);
            Cancel();
        }
    }

    internal async Task HandleAsync(Wire.SessionRequest request)
    {
        switch (request.KindCase)
        {
            case Wire.SessionRequest.KindOneofCase.Register:
                await RegisterAsync(request.Register).ConfigureAwait(false);
                break;
            case Wire.SessionRequest.KindOneofCase.Unregister:
                Unregister(request.Unregister.Registration);
                break;
            case Wire.SessionRequest.KindOneofCase.Answer:
                OnAnswer(request.Answer);
                break;
            default:
                Send(Error("a SessionRequest carries register, unregister or answer", 0));
                break;
        }
    }

    private async Task RegisterAsync(Wire.RegisterHandle register)
    {
        string? refused = null;
        Device? device = null;
        var identity = WireRemoval.TryDecode(register.Handle);
        lock (_gate)
        {
            if (identity is null)
                refused = "the registration names no handle identity (major, minor)";
            else if (_parties.ContainsKey(register.Registration))
                refused = $"registration {register.Registration} is already in use on this session";
            else if (_parties.Count >= _state.Options.MaxRegistrationsPerSession)
                refused = $"a session holds at most {_state.Options.MaxRegistrationsPerSession} registrations";
        }
        string name = string.IsNullOrWhiteSpace(register.Name) ? $"handle on {identity}" : register.Name.Length > 200 ? register.Name[..200] : register.Name;
        DeviceRegistration? observer = null;
        if (refused is null)
        {
            var id = identity!.Value;
            device = _state.Watcher.RunningDispatcher.FindByNumber(id.Major, id.Minor, id.IsBlock);
            refused = device is null
                ? $"no {(id.IsBlock ? "block" : "character")} device {id} is known to the broker"
                : await HandleCheck.CheckAsync(Peer, id, Token).ConfigureAwait(false);
            if (refused is null)
                (observer, refused) = Observe(id, name);
        }
        if (refused is not null)
        {
            _state.Logger.LogInformation("Refused handle registration {Name} of pid {Pid} ({Process}): {Reason}", register.Name, Peer.ProcessId, ProcessName, refused);
            Send(new Wire.SessionResponse { Registered = new Wire.Registered { Registration = register.Registration, Refused = refused } });
            return;
        }
        var party = new RemoteParty(this, register.Registration, name, observer!);
        lock (_gate)
        {
            if (!_ended)
            {
                _parties[register.Registration] = (party, _state.Coordinator.AddParty(party), observer!);
                observer = null;
            }
        }
        if (observer is not null)
        {
            observer.Dispose();   // the session ended meanwhile
            return;
        }
        _state.Logger.LogDebug("Pid {Pid} ({Process}) registered {Name} on {Device}", Peer.ProcessId, ProcessName, name, device);
        Send(new Wire.SessionResponse { Registered = new Wire.Registered { Registration = register.Registration, Device = WireDevices.Encode(party.Device ?? device!) } });
    }

    /// <summary>
    /// An observing registration on the broker's watcher that keeps the party bound to its device (not a party itself);
    /// inline: its callback does nothing, so it costs no thread.
    /// </summary>
    private (DeviceRegistration? Observer, string? Refused) Observe(HandleIdentity id, string name)
    {
        try
        {
            return (_state.Watcher.Register(DeviceFilter.ObserveHandle(id), static _ => { },
                new RegistrationOptions { InlineDelivery = true, Name = $"broker: {name} (pid {Peer.ProcessId})" }), null);
        }
        catch (ArgumentException ex)
        {
            return (null, ex.Message);
        }
    }

    private void Unregister(ulong registration)
    {
        (RemoteParty Party, IDisposable Lease, DeviceRegistration Observer) entry;
        lock (_gate)
        {
            if (!_parties.Remove(registration, out entry))
                return;
        }
        entry.Lease.Dispose();
        entry.Observer.Dispose();
        // A question still open to it is answered as in process: a registration that went away holds nothing.
        foreach (var q in TakeQuestions(q => q.Party == entry.Party))
            q.Answer(PartyAnswer.Accepted);
    }

    private void OnAnswer(Wire.Answer answer)
    {
        OpenQuestion? question;
        lock (_gate)
            _questions.TryGetValue(answer.Question, out question);
        if (question is null)
        {
            Send(Error($"question {answer.Question} is not open on this session: a client answers only its own questions, and only until their deadline", answer.Question));
            return;
        }
        switch (answer.ReplyCase)
        {
            case Wire.Answer.ReplyOneofCase.Accept:
                Close(question, PartyAnswer.Accepted);
                break;
            case Wire.Answer.ReplyOneofCase.Veto:
                string reason = string.IsNullOrWhiteSpace(answer.Veto.Reason) ? "vetoed (no reason given)" : answer.Veto.Reason.Length > 1000 ? answer.Veto.Reason[..1000] : answer.Veto.Reason;
                Close(question, PartyAnswer.Vetoed(reason));
                break;
            case Wire.Answer.ReplyOneofCase.Defer:
                question.Deferred = true;
                break;
            default:
                Send(Error($"the answer to question {answer.Question} is empty: give accept, veto or defer", answer.Question));
                break;
        }
    }

    private void Close(OpenQuestion question, PartyAnswer answer)
    {
        lock (_gate)
            _questions.Remove(question.Id);
        question.Answer(answer);
    }

    private List<OpenQuestion> TakeQuestions(Func<OpenQuestion, bool> which)
    {
        lock (_gate)
        {
            var taken = _questions.Values.Where(which).ToList();
            foreach (var q in taken)
                _questions.Remove(q.Id);
            return taken;
        }
    }

    public void Stalled(TimeSpan waited)
        => Cut($"one write waited {waited.TotalSeconds:0} s for the client to read: the client stopped reading its session");

    private void Cut(string reason)
    {
        if (Interlocked.CompareExchange(ref _cutReason, reason, null) is null)
            _state.Logger.LogWarning("Ending the session of pid {Pid} ({Process}): {Reason}", Peer.ProcessId, ProcessName, reason);
        Cancel();
    }

    private void Cancel()
    {
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>The call ended: remove every party, answer every open question (the holder scan decides), stop writing.</summary>
    internal void End()
    {
        List<(RemoteParty Party, IDisposable Lease, DeviceRegistration Observer)> parties;
        lock (_gate)
        {
            if (_ended)
                return;
            _ended = true;
            parties = [.. _parties.Values];
            _parties.Clear();
        }
        foreach (var (_, lease, observer) in parties)
        {
            lease.Dispose();
            observer.Dispose();
        }
        foreach (var q in TakeQuestions(_ => true))
            q.Answer(Gone);
        _outgoing.Writer.TryComplete();
        Cancel();
    }

    public void Dispose()
    {
        End();
        _cancel.Dispose();
    }

    private static PartyAnswer Gone => new(VetoType.None, "its session ended before it answered; the holder scan decides");

    private static Wire.SessionResponse Error(string message, ulong question) => new() { Error = new Wire.SessionError { Message = message, Question = question } };
}
