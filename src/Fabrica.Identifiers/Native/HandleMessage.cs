using System.Buffers;
using System.Buffers.Binary;

namespace Fabrica.Identifiers.Native;

/// <summary>
/// One Handle protocol message (RFC 3652 §2.2): envelope, header, body and credential. The body stays undecoded
/// bytes here; <see cref="MessageBodies"/> reads and writes each operation's body.
/// <code>
///   Envelope (20) | Header (24) | Body (Header.BodyLength) | Credential: Int4 length + bytes
/// </code>
/// The envelope's MessageLength counts header, body and credential (CNRI's <c>AbstractMessage.getEncodedMessage</c>).
/// </summary>
public sealed record HandleMessage(MessageEnvelope Envelope, MessageHeader Header, ReadOnlyMemory<byte> Body, ReadOnlyMemory<byte> Credential)
{
    /// <summary>CNRI's <c>Common.MAX_MESSAGE_LENGTH</c>: the largest message either side accepts.</summary>
    public const int MaxMessageLength = 262144;

    /// <summary>The smallest possible message after the envelope: header and an empty credential.</summary>
    public const int MinMessageLength = MessageHeader.Size + 4;

    /// <summary>
    /// Reads one whole message (envelope first) from a stream such as TCP. Returns false, consuming nothing, until all
    /// of it has arrived; throws <see cref="HandleProtocolException"/> for a malformed one. The message bytes are copied
    /// once into an array of exactly the announced length, which is checked against <paramref name="maxMessageLength"/> first.
    /// </summary>
    public static bool TryRead(ref SequenceReader<byte> reader, out HandleMessage message, int maxMessageLength = MaxMessageLength)
    {
        message = null!;
        if (reader.Remaining < MessageEnvelope.Size)
            return false;
        Span<byte> envelopeBytes = stackalloc byte[MessageEnvelope.Size];
        reader.TryCopyTo(envelopeBytes);
        var envelope = MessageEnvelope.Read(envelopeBytes);
        CheckEnvelope(envelope, maxMessageLength);
        if (reader.Remaining - MessageEnvelope.Size < envelope.MessageLength)
            return false;
        reader.Advance(MessageEnvelope.Size);
        var bytes = new byte[envelope.MessageLength];
        reader.TryCopyTo(bytes);
        reader.Advance(bytes.Length);
        message = ParseMessage(envelope, bytes);
        return true;
    }

    /// <summary>Reads a message from one UDP datagram: the whole datagram is envelope plus message, nothing more.</summary>
    public static HandleMessage ReadDatagram(ReadOnlySpan<byte> datagram, int maxMessageLength = MaxMessageLength)
    {
        if (datagram.Length < MessageEnvelope.Size)
            HandleProtocolException.Throw($"A datagram of {datagram.Length} bytes is shorter than the envelope.");
        var envelope = MessageEnvelope.Read(datagram);
        CheckEnvelope(envelope, maxMessageLength);
        if (datagram.Length - MessageEnvelope.Size != envelope.MessageLength)
            HandleProtocolException.Throw($"The envelope announces {envelope.MessageLength} bytes; the datagram carries {datagram.Length - MessageEnvelope.Size}.");
        return ParseMessage(envelope, datagram[MessageEnvelope.Size..].ToArray());
    }

    /// <summary>Writes envelope, header, body and an empty credential; the lengths are filled in here.</summary>
    public static byte[] Encode(int requestId, MessageHeader header, ReadOnlySpan<byte> body, int sessionId = 0)
    {
        var messageLength = MessageHeader.Size + body.Length + 4;
        var bytes = new byte[MessageEnvelope.Size + messageLength];
        (MessageEnvelope.For(requestId, messageLength) with { SessionId = sessionId }).Write(bytes);
        (header with { BodyLength = body.Length }).Write(bytes.AsSpan(MessageEnvelope.Size));
        body.CopyTo(bytes.AsSpan(MessageEnvelope.Size + MessageHeader.Size));
        return bytes;
    }

    private static void CheckEnvelope(in MessageEnvelope envelope, int maxMessageLength)
    {
        if (envelope.MajorVersion is 0 or > 5)
            HandleProtocolException.Throw($"Protocol major version {envelope.MajorVersion} is not Handle protocol 2.");
        if ((envelope.Flags & (MessageEnvelope.Compressed | MessageEnvelope.Encrypted)) != 0)
            HandleProtocolException.Throw("Compressed or encrypted messages are not supported.");
        if (envelope.MessageLength < MinMessageLength || envelope.MessageLength > maxMessageLength)
            HandleProtocolException.Throw($"Message length {envelope.MessageLength} is outside {MinMessageLength}..{maxMessageLength}.");
    }

    private static HandleMessage ParseMessage(MessageEnvelope envelope, byte[] bytes)
    {
        var header = MessageHeader.Read(bytes);
        if (header.BodyLength < 0 || header.BodyLength > bytes.Length - MinMessageLength)
            HandleProtocolException.Throw($"Body length {header.BodyLength} does not fit in a message of {bytes.Length} bytes.");
        var credentialAt = MessageHeader.Size + header.BodyLength;
        var credentialLength = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(credentialAt));
        if (credentialLength != bytes.Length - credentialAt - 4)
            HandleProtocolException.Throw($"Credential length {credentialLength} does not match the {bytes.Length - credentialAt - 4} bytes after the body.");
        return new HandleMessage(
            envelope,
            header,
            bytes.AsMemory(MessageHeader.Size, header.BodyLength),
            bytes.AsMemory(credentialAt + 4, credentialLength));
    }
}
