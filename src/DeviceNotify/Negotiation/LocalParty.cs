using System.Diagnostics;
using DeviceNotify.Dispatch;

namespace DeviceNotify.Negotiation;

/// <summary>
/// A handle registration of this process as a removal party: a question becomes a notification with a
/// <see cref="RemovalQuery"/> in the registration's queue, and the query's answer is the party's.
/// </summary>
internal sealed class LocalParty(DeviceRegistration registration, Dispatcher dispatcher) : RemovalParty
{
    private static readonly Lazy<string> s_processName = new(() => Process.GetCurrentProcess().ProcessName);

    public override string Name => registration.DisplayName;

    public override int ProcessId => Environment.ProcessId;

    public override string? ProcessName => s_processName.Value;

    public override Device? Device => registration.BoundDevice;

    public override async Task<PartyAnswer> AskAsync(RemovalMessage question, CancellationToken cancellationToken)
    {
        var query = new RemovalQuery(question.Operation, question.Deadline);
        // A registration that went away meanwhile holds nothing: it accepts.
        if (!dispatcher.Announce(registration, ToNotification(question, query)))
            return PartyAnswer.Accepted;
        try
        {
            return await query.Answer.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The asker stopped waiting: the question is withdrawn, and a deferred answerer can see it.
            query.Withdraw();
            throw;
        }
    }

    public override void Tell(RemovalMessage notice) => dispatcher.Announce(registration, ToNotification(notice, null));

    private static DeviceNotification ToNotification(RemovalMessage message, RemovalQuery? query)
        => new(message.Action, message.Device, null, DeviceAction.None, NotificationOrigin.Coordinator, Stopwatch.GetTimestamp(),
            customEvent: message.EventGuid is { } g ? new CustomEventData { EventGuid = g, MountPoint = message.MountPoint } : null,
            query: query);
}
