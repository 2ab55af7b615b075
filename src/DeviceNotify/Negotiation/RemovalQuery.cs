namespace DeviceNotify;

/// <summary>
/// A question a handler must answer (QueryRemove, or a requested VolumeDismount/VolumeLock): close your handle
/// and <see cref="Accept"/>, or <see cref="Veto"/> with a reason.
/// </summary>
/// <remarks>
/// Answers are cheap: a callback that returns without answering accepts (as returning success does on Windows);
/// an async-stream consumer that asks for the next notification without answering accepts too. Only
/// <see cref="Defer"/> keeps the question open, to be answered later from elsewhere; no answer before the deadline
/// is then a veto (<see cref="VetoType.Timeout"/>). A registration that is disposed, or ends, accepts the questions
/// it still holds. The first answer counts; later ones are ignored. Ending an async-stream enumeration (a
/// <c>break</c>, or an exception in its body, which the stream cannot tell apart) accepts too.
/// </remarks>
public sealed class RemovalQuery
{
    private readonly TaskCompletionSource<PartyAnswer> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _withdrawn = new();
    private volatile bool _deferred;

    internal RemovalQuery(RemovalOperation operation, DateTimeOffset? deadline = null)
    {
        Operation = operation;
        Deadline = deadline;
    }

    /// <summary>What is being asked.</summary>
    public RemovalOperation Operation { get; }

    /// <summary>When silence becomes a veto (<see cref="VetoType.Timeout"/>); null when the asker set none.</summary>
    public DateTimeOffset? Deadline { get; }

    /// <summary>True once the asker stopped waiting (the deadline passed, or the request was cancelled): an answer no longer counts.</summary>
    public bool IsWithdrawn => _withdrawn.IsCancellationRequested;

    /// <summary>Cancelled when the question is withdrawn; useful to a deferred answer that is still working.</summary>
    public CancellationToken Withdrawn => _withdrawn.Token;

    /// <summary>True once answered.</summary>
    public bool IsAnswered => _answer.Task.IsCompleted;

    /// <summary>True when <see cref="Defer"/> was called.</summary>
    public bool IsDeferred => _deferred;

    /// <summary>Agree: the handle is closed (or will not be used).</summary>
    public void Accept() => _answer.TrySetResult(PartyAnswer.Accepted);

    /// <summary>Refuse, saying why (the veto name shown to whoever asked).</summary>
    public void Veto(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        _answer.TrySetResult(PartyAnswer.Vetoed(reason));
    }

    /// <summary>The answer will come later (from another thread or an async method), before the deadline.</summary>
    public void Defer() => _deferred = true;

    internal Task<PartyAnswer> Answer => _answer.Task;

    /// <summary>The asker stopped waiting: later answers are ignored, and the question counts as answered (it is closed).</summary>
    internal void Withdraw()
    {
        _answer.TrySetResult(new PartyAnswer(VetoType.Timeout, "withdrawn before an answer came"));
        _withdrawn.Cancel();
    }

    /// <summary>The callback returned (or the stream consumer moved on): accept unless deferred; a failure vetoes.</summary>
    internal void AfterCallback(Exception? failure)
    {
        if (failure is not null)
            _answer.TrySetResult(new PartyAnswer(VetoType.HandlerFailed, failure.Message));
        else if (!_deferred)
            Accept();
    }
}
