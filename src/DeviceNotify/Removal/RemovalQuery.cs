namespace DeviceNotify;

/// <summary>
/// A question a handler must answer (QueryRemove, or a requested VolumeDismount/VolumeLock): close your handle
/// and <see cref="Accept"/>, or <see cref="Veto"/> with a reason. A callback that returns without answering
/// accepts (as returning success does on Windows); call <see cref="Defer"/> to answer later from elsewhere.
/// No answer before the deadline is a veto.
/// </summary>
public sealed class RemovalQuery
{
    private readonly TaskCompletionSource<(VetoType Veto, string? Reason)> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _deferred;

    internal RemovalQuery(RemovalOperation operation) => Operation = operation;

    /// <summary>What is being asked.</summary>
    public RemovalOperation Operation { get; }

    /// <summary>True once answered.</summary>
    public bool IsAnswered => _answer.Task.IsCompleted;

    /// <summary>Agree: the handle is closed (or will not be used).</summary>
    public void Accept() => _answer.TrySetResult((VetoType.None, null));

    /// <summary>Refuse, saying why (the veto name shown to whoever asked).</summary>
    public void Veto(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        _answer.TrySetResult((VetoType.ApplicationVeto, reason));
    }

    /// <summary>The answer will come later (from another thread or an async method), before the deadline.</summary>
    public void Defer() => _deferred = true;

    internal Task<(VetoType Veto, string? Reason)> Answer => _answer.Task;

    internal void AfterCallback(Exception? failure)
    {
        if (failure is not null)
            _answer.TrySetResult((VetoType.HandlerFailed, failure.Message));
        else if (!_deferred)
            Accept();
    }
}
