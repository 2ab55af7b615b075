using DeviceNotify.Broker;
using DeviceNotify.Daemon.Peers;
using DeviceNotify.Daemon.Service;
using DeviceNotify.Tests.Support;
using Google.Protobuf;
using Wire = DeviceNotify.Broker.Protocol;

namespace DeviceNotify.Tests.Unit;

/// <summary>The broker's wire contract (protos/devnotify/v1) against the library's model: pure mapping, no I/O.</summary>
public class WireContractTests
{
    private static Device Disk() => new("/devices/virtual/block/loop9", "block", new Dictionary<string, string>
    {
        ["DEVTYPE"] = "disk",
        ["DEVNAME"] = "loop9",
        ["MAJOR"] = "7",
        ["MINOR"] = "9",
        ["ID_LABEL"] = "caf\u00e9",
    }, new DeviceAttributes { SizeSectors = 65536, HasPartitions = true });

    [Fact]
    public void The_wire_enums_have_the_numbers_and_names_of_the_library_enums()
    {
        static void Same<TLibrary, TWire>(string prefix) where TLibrary : struct, Enum where TWire : struct, Enum
        {
            var library = Enum.GetValues<TLibrary>().ToDictionary(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture), v => v.ToString());
            var wire = Enum.GetValues<TWire>().ToDictionary(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture), v => v.ToString());
            Assert.Equal(library.Keys.Order(), wire.Keys.Order());
            foreach (var (number, name) in library)
                Assert.True(name == wire[number] || (number == 0 && wire[number] is "Unspecified" or "None"), $"{typeof(TLibrary).Name}.{name} is {prefix}{wire[number]} on the wire");
        }
        Same<NotificationAction, Wire.NotificationAction>("NOTIFICATION_ACTION_");
        Same<DeviceAction, Wire.KernelAction>("KERNEL_ACTION_");
        Same<NotificationOrigin, Wire.Origin>("ORIGIN_");
        Same<OverflowKind, Wire.OverflowKind>("OVERFLOW_KIND_");
        Same<RemovalOperation, Wire.RemovalOperation>("REMOVAL_OPERATION_");
        Same<VetoType, Wire.VetoType>("VETO_TYPE_");
        Same<HolderKind, Wire.HolderKind>("HOLDER_KIND_");
        Same<RemovalFailure, Wire.RemovalFailure>("REMOVAL_FAILURE_");
    }

    [Fact]
    public void A_device_survives_the_wire_with_its_properties_in_order_and_its_attributes()
    {
        var sent = Disk();
        var received = WireDevices.TryDecode(Wire.Device.Parser.ParseFrom(WireDevices.Encode(sent).ToByteArray()), out var error);

        Assert.Null(error);
        Assert.NotNull(received);
        Assert.Equal(sent.DevPath, received.DevPath);
        Assert.Equal(sent.Subsystem, received.Subsystem);
        Assert.Equal("/dev/loop9", received.DevNode);
        Assert.Equal(sent.Properties.ToList(), received.Properties.ToList());
        Assert.Equal("caf\u00e9", received.GetProperty("ID_LABEL"));
        Assert.Equal(sent.Attributes, received.Attributes);
        Assert.True(received.HasSameStateAs(sent));
        Assert.True(InterfaceClass.Disk.Matches(received));
        Assert.True(received.IsListed);

        var queue = new Device("/devices/virtual/net/tap0/queues/rx-0", "queues");
        queue.SetUnlisted();
        Assert.False(WireDevices.TryDecode(WireDevices.Encode(queue), out _)!.IsListed);
    }

    [Theory]
    [InlineData("", "block", "KEY", "v", "devpath")]
    [InlineData("/devices/x", "", "KEY", "v", "subsystem")]
    [InlineData("/devices/x", "net", "BAD KEY", "v", "kernel-style name")]
    [InlineData("/devices/x", "net", "KEY", "a\0b", "NUL")]
    public void A_malformed_device_is_refused_with_a_reason(string devPath, string subsystem, string key, string value, string reason)
    {
        var w = new Wire.Device { Devpath = devPath, Subsystem = subsystem };
        w.Properties.Add(new Wire.Property { Key = key, Value = value });

        Assert.Null(WireDevices.TryDecode(w, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_encoders_response_parses_to_the_reference_encoding_and_one_device_is_encoded_once_for_many_subscribers()
    {
        var encoder = new NotificationEncoder();
        var device = Disk();
        var n = new DeviceNotification(NotificationAction.InterfaceArrival, device, new DeviceInterface(InterfaceClass.Disk, device), DeviceAction.Add,
            NotificationOrigin.Kernel, 123456789);

        var fast = encoder.Encode(n);
        for (int i = 0; i < 199; i++)
            Assert.Same(fast, encoder.Encode(new DeviceNotification(n.Action, device, n.Interface, n.KernelAction, n.Origin, n.Timestamp)));

        var reference = new Wire.SubscribeResponse { Notification = WireNotifications.Encode(n, WireDevices.Encode(device)) };
        Assert.Equal(reference, Wire.SubscribeResponse.Parser.ParseFrom(fast.Bytes.ToArray()));
        Assert.Equal(1, encoder.DeviceEncodings);
        Assert.Equal((200L, 199L), encoder.Reuse);

        var synthesized = encoder.Encode(new DeviceNotification(NotificationAction.InterfaceArrival, device, n.Interface, DeviceAction.Add, NotificationOrigin.Enumeration, 5));
        Assert.NotSame(fast, synthesized);
        Assert.Equal(Wire.Origin.Enumeration, Wire.SubscribeResponse.Parser.ParseFrom(synthesized.Bytes.ToArray()).Notification.Origin);
        Assert.Equal(1, encoder.DeviceEncodings);
    }

    [Fact]
    public void Filters_survive_the_wire_and_bad_ones_name_what_is_accepted()
    {
        var custom = InterfaceClass.Custom("Taps", new DeviceMatch { Subsystem = "net", SysName = "tap*", Properties = new Dictionary<string, string> { ["IFINDEX"] = "?" } });
        var back = WireFilters.Decode(WireFilters.Encode(DeviceFilter.ForInterfaces(InterfaceClass.Net, custom)));
        Assert.Equal([InterfaceClass.Net, custom], back.Classes);
        Assert.Equal("tap*", back.Classes[1].Match.SysName);
        Assert.Equal("?", back.Classes[1].Match.Properties!["IFINDEX"]);

        var devices = WireFilters.Decode(WireFilters.Encode(DeviceFilter.ForDevices(new DeviceMatch { Subsystem = "block", DevType = "partition" })));
        Assert.Equal(DeviceFilterKind.Devices, devices.Kind);
        Assert.Equal("partition", devices.DeviceMatch!.DevType);
        Assert.Same(DeviceFilter.AllDevices, WireFilters.Decode(new Wire.Filter()));

        var unknown = Assert.Throws<ArgumentException>(() => WireFilters.Decode(new Wire.Filter
        {
            Interfaces = new Wire.InterfaceFilter { Classes = { new Wire.InterfaceClassSpec { Name = "Toaster" } } },
        }));
        Assert.Contains("Known classes: Disk, Volume", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_result_names_every_party_after_the_wire()
    {
        var device = Disk();
        var sent = new RemovalResult
        {
            Operation = RemovalOperation.Dismount,
            Device = device,
            Failure = RemovalFailure.Vetoed,
            Error = "vetoed by catalog (pid 42): ApplicationVeto - indexing",
            Parties =
            [
                new PartyResponse { Name = "catalog", ProcessId = 42, ProcessName = "catalogd", WasAsked = true, Veto = VetoType.ApplicationVeto, Reason = "indexing" },
                new PartyResponse { Name = "sleep", ProcessId = 43, ProcessName = "sleep", ProcessStartTime = 99, FoundBy = HolderKind.WorkingDirectory, Veto = VetoType.OutstandingOpen, Reason = "cwd /mnt" },
            ],
            Warnings = ["pid 7: not scanned"],
        };

        var received = WireRemoval.Decode(Wire.RemovalResult.Parser.ParseFrom(WireRemoval.Encode(sent).ToByteArray()), device);

        Assert.Equal(sent.Parties, received.Parties);
        Assert.Equal(sent.Warnings, received.Warnings);
        Assert.Equal(sent.Error, received.Error);
        Assert.Equal(RemovalFailure.Vetoed, received.Failure);
        Assert.Same(device, received.Device);
    }

    [Fact]
    public void A_question_and_its_failed_notice_survive_the_wire()
    {
        var device = Disk();
        var mount = new MountPoint { MountId = 40, ParentId = 1, Major = 7, Minor = 9, Root = "/", Path = "/mnt/x y", Options = "rw", FileSystemType = "ext4", Source = "/dev/loop9", SuperOptions = "rw", SharedPeerGroup = 3 };
        var question = new RemovalMessage
        {
            Operation = RemovalOperation.Dismount,
            Action = NotificationAction.CustomEvent,
            EventGuid = VolumeEvents.VolumeDismount,
            Device = device,
            MountPoint = mount,
            Deadline = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000),
        };

        var received = WireRemoval.TryDecode(Wire.RemovalMessage.Parser.ParseFrom(WireRemoval.Encode(question, WireDevices.Encode(device)).ToByteArray()), device, out var error);

        Assert.Null(error);
        Assert.Equal(question, received);
        var failed = WireRemoval.FailedNoticeFor(received!);
        Assert.Equal(VolumeEvents.VolumeDismountFailed, failed.EventGuid);
        Assert.Null(failed.Deadline);
        Assert.True(WireRemoval.IsFailedNotice(failed));
        Assert.Equal(NotificationAction.QueryRemoveFailed, WireRemoval.FailedNoticeFor(question with { Action = NotificationAction.QueryRemove, EventGuid = null }).Action);
        Assert.Equal(VolumeEvents.VolumeLockFailed, WireRemoval.FailedNoticeFor(question with { EventGuid = VolumeEvents.VolumeLock }).EventGuid);
    }

    [Fact]
    public void Request_options_are_checked_like_in_process_ones()
    {
        Assert.Equal(RemovalOptions.DefaultDeadline, WireRemoval.Options(new Wire.RemovalRequest()).Deadline);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), WireRemoval.Options(new Wire.RemovalRequest { DeadlineMs = 2500, Force = true }).Deadline);
        Assert.Throws<ArgumentOutOfRangeException>(() => WireRemoval.Options(new Wire.RemovalRequest { DeadlineMs = uint.MaxValue }));
    }

    [Theory]
    [InlineData(0u, 0u, 0u, 0u, 0x180, new uint[0], true)]             // root
    [InlineData(1000u, 1000u, 1000u, 6u, 0x180, new uint[0], true)]    // owner, whatever the mode
    [InlineData(1000u, 1000u, 0u, 6u, 0x1B0, new uint[] { 6 }, true)]  // group "disk" may write: a member may
    [InlineData(1000u, 6u, 0u, 6u, 0x1B0, new uint[0], true)]          // ... also through the primary group
    [InlineData(1000u, 1000u, 0u, 6u, 0x1A0, new uint[] { 6 }, false)] // group may only read
    [InlineData(1000u, 1000u, 0u, 6u, 0x1B6, new uint[] { 7 }, false)] // others may write, but the rule does not count "others"
    public void The_removal_rule_allows_root_the_owner_and_group_writers_only(uint uid, uint gid, uint nodeUid, uint nodeGid, int mode, uint[] groups, bool allowed)
    {
        var refusal = RemovalRule.Check(uid, gid, groups, 77, "dismount", "/dev/sdb1", new DeviceNode(nodeUid, nodeGid, (UnixFileMode)mode));

        Assert.Equal(allowed, refusal is null);
        if (!allowed)
        {
            Assert.Contains("dismount of /dev/sdb1 needs root, or ownership of its device node, or write permission on it through its group", refusal, StringComparison.Ordinal);
            Assert.Contains($"uid {uid}", refusal, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Without_a_device_node_only_root_may()
    {
        Assert.Null(RemovalRule.Check(0, 0, [], 1, "eject", "/dev/sdz", null));
        Assert.Contains("sees no device node", RemovalRule.Check(1000, 1000, [], 1, "eject", "/dev/sdz", null), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Name:\tx\nGroups:\t4 24 27 \nNSpid:\t1\n", new uint[] { 4, 24, 27 })]
    [InlineData("Name:\tx\nGroups:\t\n", new uint[0])]
    [InlineData(null, new uint[0])]
    public void Supplementary_groups_are_read_from_the_status_file(string? status, uint[] groups)
        => Assert.Equal(groups, PeerProcess.ParseGroups(status));

    [Theory]
    [InlineData("         0          0 4294967295\n", false)]
    [InlineData("", true)]
    [InlineData("         0       1000          1\n", true)]
    [InlineData("0 0 1000\n1000 1000 1\n", true)]
    [InlineData(null, false)]
    public void A_foreign_user_namespace_is_one_whose_uid_map_is_not_the_identity(string? map, bool foreign)
        => Assert.Equal(foreign, DeviceNotify.Linux.UserNamespaces.IsForeign(map));

    [Fact]
    public void Garbage_is_invalid_argument_naming_the_message_and_never_an_unhandled_exception()
    {
        var marshaller = BrokerMethods.For(Wire.RemovalRequest.Parser);
        var random = new Random(11);
        int refused = 0;
        for (int i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(1, 64)];
            random.NextBytes(bytes);
            try
            {
                marshaller.ContextualDeserializer(new ByteContext(bytes));
            }
            catch (Grpc.Core.RpcException ex)
            {
                Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, ex.StatusCode);
                Assert.Contains("RemovalRequest is not valid protobuf", ex.Status.Detail, StringComparison.Ordinal);
                refused++;
            }
        }
        Assert.True(refused > 100, $"only {refused} of 2000 random inputs were refused");
    }

    private sealed class ByteContext(byte[] bytes) : Grpc.Core.DeserializationContext
    {
        public override int PayloadLength => bytes.Length;

        public override byte[] PayloadAsNewBuffer() => (byte[])bytes.Clone();

        public override System.Buffers.ReadOnlySequence<byte> PayloadAsReadOnlySequence() => new(bytes);
    }
}
