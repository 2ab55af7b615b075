namespace DeviceNotify.Negotiation;

// Implementation notes (DESIGN.md §3, "every path ends"):
// - A round remembers every party it asked and the device each was asked about. Whatever happens afterwards — a
//   veto, a refusal, the requester's cancellation, an exception — Finish or the caller's finally (EndUnfinished)
//   tells each of them the failed notice, once, so nobody is left with closed handles and no word.
// - All parties are asked at once and share one deadline. A party that does not answer in time is a Timeout veto,
//   whether or not it honours the cancellation token (the round stops waiting for it either way); one whose ask
//   throws (a remote party that disconnected) is HandlerFailed. Each ask starts on the thread pool, so a party that
//   blocks before returning its task delays nobody else. The requester's own cancellation is not a veto: it ends
//   the round with OperationCanceledException after the failed notices.
internal sealed class NegotiationRound(NotificationAction failedAction, Guid? failedEvent, Diagnostics.NegotiationMeasurement? measurement = null)
{
    private readonly List<(RemovalParty Party, RemovalMessage Question)> _asked = [];
    private bool _finished;

    internal async Task<List<PartyResponse>> AskAsync(IReadOnlyList<RemovalParty> parties, Func<RemovalParty, RemovalMessage> question,
        TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        window.CancelAfter(deadline);
        var asks = new List<Task<PartyResponse>>(parties.Count);
        foreach (var party in parties)
        {
            var q = question(party);
            _asked.Add((party, q));
            asks.Add(AskOneAsync(party, q, deadline, window.Token));
        }
        var responses = await Task.WhenAll(asks).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return [.. responses];
    }

    /// <summary>Tells parties something that needs no answer.</summary>
    internal static void Tell(IEnumerable<RemovalParty> parties, Func<RemovalParty, RemovalMessage?> notice)
    {
        foreach (var party in parties)
        {
            if (notice(party) is { } n)
                SafeTell(party, n);
        }
    }

    /// <summary>The operation succeeded: nobody needs the failed notice. Returns <paramref name="result"/>.</summary>
    internal RemovalResult Succeed(RemovalResult result)
    {
        _finished = true;
        measurement?.End(result);
        return result;
    }

    /// <summary>The operation failed: tell everyone asked, and return <paramref name="result"/>.</summary>
    internal RemovalResult Fail(RemovalResult result)
    {
        measurement?.End(result);
        EndUnfinished();
        return result;
    }

    /// <summary>For the caller's finally: if the round neither succeeded nor failed yet, tell everyone asked that it failed.</summary>
    internal void EndUnfinished()
    {
        if (_finished)
            return;
        _finished = true;
        measurement?.End(null);
        foreach (var (party, question) in _asked)
        {
            SafeTell(party, question with
            {
                Action = failedAction,
                EventGuid = failedEvent,
                Device = party.Device ?? question.Device,
                Deadline = null,
            });
        }
    }

    private async Task<PartyResponse> AskOneAsync(RemovalParty party, RemovalMessage question, TimeSpan deadline, CancellationToken window)
    {
        PartyAnswer answer;
        try
        {
            answer = await Task.Run(() => party.AskAsync(question, window), window).WaitAsync(window).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (window.IsCancellationRequested)
        {
            answer = new PartyAnswer(VetoType.Timeout, $"no answer within {deadline.TotalSeconds:0.###} s");
        }
        catch (Exception ex)
        {
            answer = new PartyAnswer(VetoType.HandlerFailed, ex.Message);
        }
        return new PartyResponse
        {
            Name = party.Name,
            ProcessId = party.ProcessId,
            ProcessName = party.ProcessName,
            WasAsked = true,
            Veto = answer.Veto,
            Reason = answer.Reason,
        };
    }

    private static void SafeTell(RemovalParty party, RemovalMessage notice)
    {
        try
        {
            party.Tell(notice);
        }
        catch (Exception)
        {
            // A party that cannot be told (a remote one that went away) must not stop the others from hearing.
        }
    }
}
