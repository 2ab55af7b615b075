using System.Runtime.InteropServices;
using DeviceNotify.Dispatch;
using DeviceNotify.Linux;

namespace DeviceNotify.Tests.Unit;

/// <summary>
/// Guarantee 6 with crafted datagrams: only whole messages from the kernel (port 0) with SCM_CREDENTIALS uid 0 are
/// parsed; everything else is dropped and counted. A uid ≠ 0 from port 0 cannot be produced from user space, hence
/// crafted control messages.
/// </summary>
public class NetlinkAcceptanceTests
{
    private const int MsgCtrunc = 0x08, MsgTrunc = 0x20, SolSocket = 1, ScmCredentials = 2, ScmRights = 1;

    private static readonly byte[] Payload = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "00-add-devices_virtual_net_dncap0.bin"));

    /// <summary>struct cmsghdr (len, level, type) + struct ucred (pid, uid, gid), padded as CMSG_SPACE does.</summary>
    private static byte[] Credentials(uint uid, int level = SolSocket, int type = ScmCredentials, long? lengthOverride = null)
    {
        var control = new byte[32];
        MemoryMarshal.Write(control, (ulong)(lengthOverride ?? 28));
        MemoryMarshal.Write(control.AsSpan(8), level);
        MemoryMarshal.Write(control.AsSpan(12), type);
        MemoryMarshal.Write(control.AsSpan(16), 0);       // pid
        MemoryMarshal.Write(control.AsSpan(20), uid);
        MemoryMarshal.Write(control.AsSpan(24), 0u);      // gid
        return control;
    }

    private static (bool Accepted, SourceCounters Counters) Offer(int flags, uint port, byte[] control)
    {
        var counters = new SourceCounters();
        bool accepted = NetlinkUEventSocket.TryAccept(Payload, flags, port, control, "/sys", counters, out var device);
        Assert.Equal(accepted, device is not null);
        return (accepted, counters);
    }

    [Fact]
    public void A_whole_message_from_the_kernel_with_root_credentials_is_accepted()
    {
        var (accepted, c) = Offer(0, 0, Credentials(0));
        Assert.True(accepted);
        Assert.Equal(0, c.RejectedCredentials + c.RejectedSender + c.Truncated + c.Malformed);
    }

    [Theory]
    [InlineData(1000u)]
    [InlineData(65534u)]
    [InlineData(uint.MaxValue)]
    public void Credentials_of_another_uid_are_rejected_and_counted(uint uid)
    {
        var (accepted, c) = Offer(0, 0, Credentials(uid));
        Assert.False(accepted);
        Assert.Equal(1, c.RejectedCredentials);
    }

    [Fact]
    public void Missing_or_malformed_credentials_are_rejected_and_counted()
    {
        Assert.Equal(1, Offer(0, 0, []).Counters.RejectedCredentials);                                        // no control message
        Assert.Equal(1, Offer(0, 0, Credentials(0, type: ScmRights)).Counters.RejectedCredentials);           // another kind
        Assert.Equal(1, Offer(0, 0, Credentials(0, level: 0)).Counters.RejectedCredentials);                   // another level
        Assert.Equal(1, Offer(0, 0, Credentials(0, lengthOverride: 4096)).Counters.RejectedCredentials);      // longer than the buffer
        Assert.Equal(1, Offer(0, 0, Credentials(0, lengthOverride: 8)).Counters.RejectedCredentials);         // shorter than its header
        Assert.Equal(1, Offer(0, 0, Credentials(0)[..20]).Counters.RejectedCredentials);                      // cut inside the ucred
    }

    [Theory]
    [InlineData(MsgTrunc)]
    [InlineData(MsgCtrunc)]
    [InlineData(MsgTrunc | MsgCtrunc)]
    public void A_truncated_message_is_dropped_and_counted_even_with_root_credentials(int flags)
    {
        var (accepted, c) = Offer(flags, 0, Credentials(0));
        Assert.False(accepted);
        Assert.Equal(1, c.Truncated);
        Assert.Equal(0, c.RejectedCredentials);
    }

    [Fact]
    public void A_message_from_a_user_space_port_is_rejected_and_counted()
    {
        var (accepted, c) = Offer(0, 4242, Credentials(0));
        Assert.False(accepted);
        Assert.Equal(1, c.RejectedSender);
    }

    [Fact]
    public void Credentials_after_another_control_message_are_found()
    {
        var control = new byte[32 + 24];
        MemoryMarshal.Write(control, 20UL);               // SCM_RIGHTS with one fd: 16 + 4, aligned to 24
        MemoryMarshal.Write(control.AsSpan(8), SolSocket);
        MemoryMarshal.Write(control.AsSpan(12), ScmRights);
        Credentials(0).CopyTo(control, 24);
        Assert.Equal(0, NetlinkUEventSocket.SenderUid(control));
        Credentials(7).CopyTo(control, 24);
        Assert.Equal(7, NetlinkUEventSocket.SenderUid(control));
    }
}
