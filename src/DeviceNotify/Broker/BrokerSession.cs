using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Wire = DeviceNotify.Broker.Protocol;

namespace DeviceNotify.Broker;

// Implementation notes (the client's half of the negotiation across processes):
// - One Session call per watcher, opened when the first handle registration is made while a broker socket exists.
//   Every handle registration of the watcher is registered on it (identity and name). The broker asks through it and
//   this side answers with the registration's own question (its LocalParty): a handler cannot tell a question from
//   another process from one of its own, and answers it the same way (accept, veto, or by returning).
// - Register waits (bounded) for the broker's acknowledgement, so that once RegisterHandle returns, a request from any
//   process asks the registration. When no broker answers, it does not wait.
// - Rounds: a question opens its round for that registration; the broker's failed notice or RoundEnded closes it.
//   When the session breaks with rounds open, the broker went away mid-negotiation. It acts only after every answer
//   is in, so nothing was done: this side tells each such registration the failed notice itself, at once (DESIGN.md
//   §3 "every path ends"), so nobody is left with closed handles.
// - Reconnect: after a broken session, retry with backoff (0.1 s doubling to 5 s, with jitter) while registrations
//   exist, and register them all again on the new session.
// - Nothing here runs user code: questions and notices are queued to the registration like in-process ones. Writes
//   to the call go through one queue and one writer; reads run on one loop.
internal sealed class BrokerSession : IDisposable
{
    internal static readonly TimeSpan AcknowledgementBound = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_minBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(5);
    // A little past the broker's deadline: the broker decides silence, this side only stops waiting.
    private static readonly TimeSpan s_answerSlack = TimeSpan.FromSeconds(1);

    private readonly string _socketPath;
    private readonly Func<Wire.DeviceBroker.DeviceBrokerClient> _client;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly Dictionary<ulong, Brokered> _registrations = [];
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private Connection? _connection;
    private Task? _loop;
    private ulong _nextId;
    private long _connections;

    internal BrokerSession(string socketPath, Func<Wire.DeviceBroker.DeviceBrokerClient> client, ILogger logger)
    {
        _socketPath = socketPath;
        _client = client;
        _logger = logger;
    }

    /// <summary>How many session calls were opened (1 + reconnections).</summary>
    internal long Connections => Interlocked.Read(ref _connections);

    /// <summary>
    /// Registers a handle registration with the broker too, when a broker socket exists; waits for the broker's
    /// acknowledgement (bounded) when the broker answers. The registration stays local-only when there is no broker.
    /// </summary>
    internal void Add(DeviceRegistration registration)
    {
        // Observing registrations (DeviceFilter.ObserveHandle) are no party anywhere.
        if (registration.Party is null || !BrokerEndpoint.Exists(_socketPath))
            return;
        Brokered entry;
        lock (_gate)
        {
            if (_stop.IsCancellationRequested)
                return;
            entry = new Brokered(++_nextId, registration);
            _registrations[entry.Id] = entry;
            _connection?.Send(RegisterMessage(entry));
            if (_loop is null)
            {
                // Long-lived: it must not carry the first registering caller's AsyncLocals or Activity.
                using (ExecutionContext.SuppressFlow())
                    _loop = Task.Run(RunAsync);
            }
        }
        _wake.Release();
        registration.BrokerLease = new Lease(this, entry.Id);
        if (!registration.IsLive)
        {
            Remove(entry.Id);
            return;
        }
        if (!entry.Acknowledged.Task.Wait(AcknowledgementBound))
            _logger.LogWarning("The broker at {Socket} did not acknowledge handle registration {Name} within {Seconds} s; it is registered when the broker answers.",
                _socketPath, registration.DisplayName, AcknowledgementBound.TotalSeconds);
        else if (entry.Acknowledged.Task.Result is { } refused)
            _logger.LogWarning("The broker at {Socket} refused handle registration {Name}: {Reason}. Requests of other processes will not ask it (the holder scan still sees its handle).",
                _socketPath, registration.DisplayName, refused);
    }

    private void Remove(ulong id)
    {
        lock (_gate)
        {
            if (_registrations.Remove(id))
                _connection?.Send(new Wire.SessionRequest { Unregister = new Wire.Unregister { Registration = id } });
        }
    }

    private Brokered? Find(ulong id)
    {
        lock (_gate)
            return _registrations.GetValueOrDefault(id);
    }

    private async Task RunAsync()
    {
        var backoff = s_minBackoff;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                bool any;
                lock (_gate)
                    any = _registrations.Count > 0;
                if (!any)
                {
                    await _wake.WaitAsync(_stop.Token).ConfigureAwait(false);
                    continue;
                }
                bool answered = BrokerEndpoint.Exists(_socketPath) && await RunConnectionAsync().ConfigureAwait(false);
                if (!answered)
                    FailPendingAcknowledgements();
                backoff = answered ? s_minBackoff : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, s_maxBackoff.Ticks));
                await Task.Delay(backoff * (0.75 + Random.Shared.NextDouble() / 2), _stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>One session call, until it breaks; true when the broker answered on it.</summary>
    private async Task<bool> RunConnectionAsync()
    {
        var connection = new Connection(CancellationTokenSource.CreateLinkedTokenSource(_stop.Token));
        bool answered = false;
        try
        {
            using var call = _client().Session(cancellationToken: connection.Cancel.Token);
            Interlocked.Increment(ref _connections);
            lock (_gate)
            {
                _connection = connection;
                foreach (var entry in _registrations.Values)
                    connection.Send(RegisterMessage(entry));
            }
            var writer = WriteAsync(call.RequestStream, connection);
            await foreach (var message in call.ResponseStream.ReadAllAsync(connection.Cancel.Token).ConfigureAwait(false))
            {
                answered = true;
                Handle(connection, message);
            }
            _logger.LogInformation("The broker at {Socket} ended the session (it is stopping).", _socketPath);
            await writer.ConfigureAwait(false);
        }
        catch (RpcException ex) when (!_stop.IsCancellationRequested)
        {
            if (answered)
                _logger.LogWarning("The session with the broker at {Socket} broke ({Status}: {Detail}); reconnecting.", _socketPath, ex.StatusCode, ex.Status.Detail);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            lock (_gate)
            {
                if (_connection == connection)
                    _connection = null;
            }
            connection.Close();
            EndOpenRounds();
        }
        return answered;
    }

    private static async Task WriteAsync(IClientStreamWriter<Wire.SessionRequest> stream, Connection connection)
    {
        try
        {
            await foreach (var request in connection.Outgoing.Reader.ReadAllAsync(connection.Cancel.Token).ConfigureAwait(false))
                await stream.WriteAsync(request, connection.Cancel.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RpcException or OperationCanceledException or IOException or InvalidOperationException)
        {
            // The call broke: the read loop sees it too and ends the connection.
            connection.Close();
        }
    }

    private void Handle(Connection connection, Wire.SessionResponse message)
    {
        switch (message.KindCase)
        {
            case Wire.SessionResponse.KindOneofCase.Registered:
                if (Find(message.Registered.Registration) is { } entry)
                    entry.Acknowledged.TrySetResult(WireDevices.NullIfEmpty(message.Registered.Refused));
                break;
            case Wire.SessionResponse.KindOneofCase.Question:
                OnQuestion(connection, message.Question);
                break;
            case Wire.SessionResponse.KindOneofCase.Notice:
                OnNotice(message.Notice);
                break;
            case Wire.SessionResponse.KindOneofCase.RoundEnded:
                lock (_gate)
                {
                    foreach (var e in _registrations.Values)
                        e.CloseRound(message.RoundEnded.Round);
                }
                break;
            case Wire.SessionResponse.KindOneofCase.Error:
                _logger.LogWarning("The broker at {Socket} says: {Message}", _socketPath, message.Error.Message);
                break;
        }
    }

    private void OnQuestion(Connection connection, Wire.Question question)
    {
        var entry = Find(question.Registration);
        var party = entry?.Registration.Party;
        if (entry is null || party is null)
        {
            // Unregistered meanwhile: it holds nothing, as in process.
            connection.Send(Answer(question.Id, PartyAnswer.Accepted));
            return;
        }
        var device = entry.Registration.BoundDevice ?? WireDevices.TryDecode(question.Message?.Device, out _);
        string? error = null;
        if (device is null || WireRemoval.TryDecode(question.Message, device, out error) is not { } asked)
        {
            connection.Send(Answer(question.Id, new PartyAnswer(VetoType.HandlerFailed, "the question could not be read: " + (error ?? "no device"))));
            return;
        }
        entry.OpenRound(question.Round, asked);
        _ = AnswerAsync(connection, party, question.Id, asked);
    }

    private static async Task AnswerAsync(Connection connection, RemovalParty party, ulong question, RemovalMessage asked)
    {
        using var window = CancellationTokenSource.CreateLinkedTokenSource(connection.Cancel.Token);
        if (asked.Deadline is { } deadline)
        {
            var left = deadline - DateTimeOffset.UtcNow + s_answerSlack;
            window.CancelAfter(left < TimeSpan.Zero ? TimeSpan.Zero : left > RemovalOptions.MaximumDeadline ? RemovalOptions.MaximumDeadline : left);
        }
        try
        {
            var answer = await party.AskAsync(asked, window.Token).ConfigureAwait(false);
            connection.Send(Answer(question, answer));
        }
        catch (OperationCanceledException)
        {
            // Past the deadline (the broker counted the silence) or the session broke (the round ends locally).
        }
    }

    private void OnNotice(Wire.Notice notice)
    {
        var entry = Find(notice.Registration);
        var party = entry?.Registration.Party;
        if (entry is null || party is null)
            return;
        var device = entry.Registration.BoundDevice ?? WireDevices.TryDecode(notice.Message?.Device, out _);
        string? error = null;
        if (device is null || WireRemoval.TryDecode(notice.Message, device, out error) is not { } told)
        {
            _logger.LogWarning("A notice from the broker at {Socket} could not be read: {Error}", _socketPath, error ?? "no device");
            return;
        }
        if (WireRemoval.IsFailedNotice(told))
            entry.CloseRound(notice.Round);
        party.Tell(told);
    }

    private void EndOpenRounds()
    {
        List<(RemovalParty Party, RemovalMessage Question)> unfinished = [];
        lock (_gate)
        {
            foreach (var entry in _registrations.Values)
            {
                if (entry.Registration.Party is { } party)
                    unfinished.AddRange(entry.TakeOpenRounds().Select(q => ((RemovalParty)party, q)));
            }
        }
        foreach (var (party, question) in unfinished)
        {
            _logger.LogWarning("The broker at {Socket} went away while asking {Name}; telling it the request failed.", _socketPath, party.Name);
            party.Tell(WireRemoval.FailedNoticeFor(question));
        }
    }

    private void FailPendingAcknowledgements()
    {
        lock (_gate)
        {
            foreach (var entry in _registrations.Values)
                entry.Acknowledged.TrySetResult($"no broker answers at {_socketPath}");
        }
    }

    private static Wire.SessionRequest RegisterMessage(Brokered entry) => new()
    {
        Register = new Wire.RegisterHandle
        {
            Registration = entry.Id,
            Handle = WireRemoval.Encode(entry.Registration.Filter.Handle!.Value),
            Name = entry.Registration.DisplayName,
        },
    };

    private static Wire.SessionRequest Answer(ulong question, PartyAnswer answer) => new() { Answer = WireRemoval.Encode(question, answer) };

    public void Dispose()
    {
        lock (_gate)
        {
            if (_stop.IsCancellationRequested)
                return;
            _stop.Cancel();
            _connection?.Close();
            _registrations.Clear();
        }
    }

    /// <summary>One handle registration known to the broker, and the rounds it was asked in that have not ended.</summary>
    private sealed class Brokered(ulong id, DeviceRegistration registration)
    {
        private readonly Dictionary<ulong, RemovalMessage> _openRounds = [];

        internal ulong Id { get; } = id;

        internal DeviceRegistration Registration { get; } = registration;

        /// <summary>Null when the broker accepted the registration; why not otherwise.</summary>
        internal TaskCompletionSource<string?> Acknowledged { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        internal void OpenRound(ulong round, RemovalMessage question)
        {
            lock (_openRounds)
                _openRounds[round] = question;
        }

        internal void CloseRound(ulong round)
        {
            lock (_openRounds)
                _openRounds.Remove(round);
        }

        internal List<RemovalMessage> TakeOpenRounds()
        {
            lock (_openRounds)
            {
                var open = _openRounds.Values.ToList();
                _openRounds.Clear();
                return open;
            }
        }
    }

    /// <summary>One session call's outgoing queue and lifetime.</summary>
    private sealed class Connection(CancellationTokenSource cancel)
    {
        internal Channel<Wire.SessionRequest> Outgoing { get; } = Channel.CreateUnbounded<Wire.SessionRequest>(new UnboundedChannelOptions { SingleReader = true });

        internal CancellationTokenSource Cancel { get; } = cancel;

        internal void Send(Wire.SessionRequest request) => Outgoing.Writer.TryWrite(request);

        internal void Close()
        {
            Outgoing.Writer.TryComplete();
            try
            {
                Cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>Disposed with the registration: unregisters it from the broker.</summary>
    private sealed class Lease(BrokerSession session, ulong id) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                session.Remove(id);
        }
    }
}
