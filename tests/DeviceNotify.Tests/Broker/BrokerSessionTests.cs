using DeviceNotify.Tests.Kernel;
using DeviceNotify.Tests.Support;
using Wire = DeviceNotify.Broker.Protocol;

namespace DeviceNotify.Tests.Broker;

/// <summary>The broker's rules for sessions, spoken by hand: a client answers only its own questions; a session that ends
/// while asked counts as closed only if its process no longer holds the volume.</summary>
[Collection(KernelCollection.Name)]
public class BrokerSessionTests
{
    [Fact]
    public async Task A_client_answers_only_its_own_questions()
    {
        using var broker = new BrokerProcess();
        using var ext4 = new Ext4Volume("dnbk6");
        ext4.Mount();
        var file = new FileStream(Path.Combine(ext4.MountPath, "a.bin"), FileMode.Create);
        using var channel = broker.Channel();
        using var a = new RawSession(broker.Client(channel));
        using var b = new RawSession(broker.Client(channel));
        Assert.Equal("", a.Register(1, file.SafeFileHandle, "session A").Refused);
        Assert.Equal("", b.Register(1, file.SafeFileHandle, "session B").Refused);
        file.Dispose();   // registered while held; closed before anyone answers, so the holder scan finds nobody
        using var watcher = DeviceWatcher.StartNew(new DeviceWatcherOptions { BrokerSocketPath = broker.SocketPath });

        var dismount = new RemovalCoordinator(watcher).DismountAsync(ext4.MountPath, new RemovalOptions { Deadline = TimeSpan.FromSeconds(20) });
        var questionA = a.Next(Wire.SessionResponse.KindOneofCase.Question).Question;
        var questionB = b.Next(Wire.SessionResponse.KindOneofCase.Question).Question;
        Assert.NotEqual(questionA.Id, questionB.Id);

        b.Answer(questionA.Id, "not yours to refuse");
        var error = b.Next(Wire.SessionResponse.KindOneofCase.Error).Error;
        Assert.Contains("answers only its own questions", error.Message, StringComparison.Ordinal);
        Assert.Equal(questionA.Id, error.Question);
        a.Answer(questionA.Id, null);
        b.Answer(questionB.Id, null);

        var result = await dismount;
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(2, result.Parties.Count(p => p.WasAsked && p.Veto == VetoType.None && p.ProcessId == Environment.ProcessId));
        Assert.False(ext4.IsMounted);
        Assert.True(a.Next(Wire.SessionResponse.KindOneofCase.RoundEnded).RoundEnded.Succeeded);
    }

    [Fact]
    public async Task A_session_that_ends_while_asked_counts_as_closed_only_if_its_process_no_longer_holds_the_volume()
    {
        using var broker = new BrokerProcess();
        using var ext4 = new Ext4Volume("dnbk7");
        ext4.Mount();
        using var file = new FileStream(Path.Combine(ext4.MountPath, "kept.bin"), FileMode.Create);
        using var channel = broker.Channel();
        var session = new RawSession(broker.Client(channel));
        Assert.Equal("", session.Register(7, file.SafeFileHandle, "leaves but keeps the file").Refused);
        using var watcher = DeviceWatcher.StartNew(new DeviceWatcherOptions { BrokerSocketPath = broker.SocketPath });

        var dismount = new RemovalCoordinator(watcher).DismountAsync(ext4.MountPath, new RemovalOptions { Deadline = TimeSpan.FromSeconds(20) });
        session.Next(Wire.SessionResponse.KindOneofCase.Question);
        session.Dispose();   // the session goes away without answering; this process still holds kept.bin

        var result = await dismount;
        Assert.False(result.Succeeded);
        var asked = Assert.Single(result.Parties, p => p.WasAsked);
        Assert.Equal(VetoType.None, asked.Veto);
        Assert.Contains("session ended", asked.Reason, StringComparison.Ordinal);
        var holder = Assert.Single(result.Vetoes);
        Assert.Equal(Environment.ProcessId, holder.ProcessId);
        Assert.Equal(VetoType.OutstandingOpen, holder.Veto);
        Assert.Contains("kept.bin", holder.Reason, StringComparison.Ordinal);
        Assert.True(ext4.IsMounted);
    }

    [Fact]
    public void A_registration_for_a_volume_the_process_does_not_hold_is_refused()
    {
        using var broker = new BrokerProcess();
        using var ext4 = new Ext4Volume("dnbk8");
        ext4.Mount();
        var file = new FileStream(Path.Combine(ext4.MountPath, "gone.bin"), FileMode.Create);
        var identity = HandleIdentity.Of(file.SafeFileHandle);
        file.Dispose();
        using var channel = broker.Channel();
        using var session = new RawSession(broker.Client(channel));

        session.Send(new Wire.SessionRequest
        {
            Register = new Wire.RegisterHandle { Registration = 1, Handle = global::DeviceNotify.Broker.WireRemoval.Encode(identity), Name = "nothing held" },
        });

        var refused = session.Next(Wire.SessionResponse.KindOneofCase.Registered).Registered.Refused;
        Assert.Contains("holds nothing on device", refused, StringComparison.Ordinal);
    }
}
