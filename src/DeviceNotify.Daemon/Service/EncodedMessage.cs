using Grpc.Core;

namespace DeviceNotify.Daemon.Service;

/// <summary>
/// A response already encoded as protobuf bytes: written to the call as they are, so one encoding serves every
/// subscriber that receives the same notification.
/// </summary>
internal sealed record EncodedMessage(ReadOnlyMemory<byte> Bytes)
{
    internal static Marshaller<EncodedMessage> Marshaller { get; } = new(
        static (message, context) =>
        {
            var bytes = message.Bytes.Span;
            context.SetPayloadLength(bytes.Length);
            var writer = context.GetBufferWriter();
            bytes.CopyTo(writer.GetSpan(bytes.Length));
            writer.Advance(bytes.Length);
            context.Complete();
        },
        static context => new EncodedMessage(context.PayloadAsNewBuffer()));
}
