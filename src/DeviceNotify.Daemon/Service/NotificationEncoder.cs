using System.Runtime.CompilerServices;
using DeviceNotify.Broker;
using Google.Protobuf;
using Wire = DeviceNotify.Broker.Protocol;

namespace DeviceNotify.Daemon.Service;

// Implementation notes (encode each event once, fan the bytes out):
// - A kernel event reaches every subscriber as the same Device instance (the dispatcher shares it). Its encoding is
//   kept with the instance (a ConditionalWeakTable, so it lives exactly as long as the Device), and so is the
//   complete SubscribeResponse for the last few (action, class, origin, time) combinations: two hundred subscribers
//   with the same filter cost one encoding and two hundred copies.
// - The response is composed from the small envelope (a Notification without its device) followed by the device as
//   field 2. Protobuf parsers accept fields in any order; the bytes parse to the same message as the reference
//   encoding (Broker.WireNotifications), which a test checks.
/// <summary>Encodes subscription notifications, once per device and notification shape.</summary>
internal sealed class NotificationEncoder
{
    private readonly ConditionalWeakTable<Device, EncodedDevice> _devices = new();
    private long _deviceEncodings;
    private long _responses;
    private long _reused;

    /// <summary>Devices encoded so far.</summary>
    internal long DeviceEncodings => Interlocked.Read(ref _deviceEncodings);

    /// <summary>Responses asked for, and how many of them reused bytes encoded for another subscriber.</summary>
    internal (long Responses, long Reused) Reuse => (Interlocked.Read(ref _responses), Interlocked.Read(ref _reused));

    internal EncodedMessage Encode(DeviceNotification notification)
    {
        Interlocked.Increment(ref _responses);
        if (notification.Device is not { } device)
            return Encode(new Wire.SubscribeResponse { Notification = WireNotifications.Encode(notification, null) });
        var entry = _devices.GetValue(device, d =>
        {
            Interlocked.Increment(ref _deviceEncodings);
            return new EncodedDevice(WireDevices.Encode(d).ToByteArray());
        });
        var key = new Shape(notification.Action, notification.KernelAction, notification.Origin, notification.Timestamp, notification.Interface?.Class, notification.Overflow);
        if (entry.TryGet(key, out var cached))
        {
            Interlocked.Increment(ref _reused);
            return cached;
        }
        var composed = new EncodedMessage(Compose(WireNotifications.Encode(notification, null), entry.Device));
        entry.Add(key, composed);
        return composed;
    }

    internal static EncodedMessage Encode(Wire.SubscribeResponse response) => new(response.ToByteArray());

    /// <summary>SubscribeResponse { notification (1) = envelope fields, then device (2) = the device's bytes }.</summary>
    internal static byte[] Compose(Wire.Notification envelope, byte[] device)
    {
        int envelopeLength = envelope.CalculateSize();
        int inner = envelopeLength + 1 + CodedOutputStream.ComputeLengthSize(device.Length) + device.Length;
        var buffer = new byte[1 + CodedOutputStream.ComputeLengthSize(inner) + inner];
        var output = new CodedOutputStream(buffer);
        output.WriteTag(Wire.SubscribeResponse.NotificationFieldNumber, WireFormat.WireType.LengthDelimited);
        output.WriteLength(inner);
        envelope.WriteTo(output);
        output.WriteTag(Wire.Notification.DeviceFieldNumber, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(UnsafeByteOperations.UnsafeWrap(device));
        output.CheckNoSpaceLeft();
        return buffer;
    }

    private readonly record struct Shape(NotificationAction Action, DeviceAction KernelAction, NotificationOrigin Origin, long Timestamp,
        InterfaceClass? Class, OverflowInfo? Overflow);

    /// <summary>A device's bytes, and the last few responses composed with them.</summary>
    private sealed class EncodedDevice(byte[] device)
    {
        private readonly (Shape Key, EncodedMessage Value)?[] _recent = new (Shape, EncodedMessage)?[4];
        private int _next;

        internal byte[] Device { get; } = device;

        internal bool TryGet(Shape key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out EncodedMessage? value)
        {
            lock (_recent)
            {
                foreach (var r in _recent)
                {
                    if (r is { } hit && hit.Key == key)
                    {
                        value = hit.Value;
                        return true;
                    }
                }
            }
            value = null;
            return false;
        }

        internal void Add(Shape key, EncodedMessage value)
        {
            lock (_recent)
            {
                _recent[_next] = (key, value);
                _next = (_next + 1) % _recent.Length;
            }
        }
    }
}
