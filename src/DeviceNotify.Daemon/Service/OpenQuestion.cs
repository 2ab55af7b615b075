namespace DeviceNotify.Daemon.Service;

/// <summary>A question sent on a session and not answered yet.</summary>
internal sealed class OpenQuestion(ulong id, RemoteParty party)
{
    private readonly TaskCompletionSource<PartyAnswer> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal ulong Id { get; } = id;

    internal RemoteParty Party { get; } = party;

    /// <summary>The client said it is working on it (Defer).</summary>
    internal bool Deferred { get; set; }

    internal Task<PartyAnswer> Task => _answer.Task;

    /// <summary>The first answer counts.</summary>
    internal void Answer(PartyAnswer answer) => _answer.TrySetResult(answer);
}
