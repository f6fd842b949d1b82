using System.Buffers.Binary;

namespace Fabrica.Identifiers.Native;

/// <summary>
/// RFC 3652 §2.2.1 message envelope, 20 bytes before every message:
/// <code>
///   0      1      2         3          4 .. 7     8 .. 11    12 .. 15   16 .. 19
///   Major  Minor  Flags|Sug SugMinor   SessionId  RequestId  MessageId  MessageLength
/// </code>
/// Flags: 0x80 compressed, 0x40 encrypted, 0x20 truncated; the low two bits carry the suggested major version
/// (CNRI's <c>Encoder.encodeEnvelope</c>).
/// </summary>
public readonly record struct MessageEnvelope(
    byte MajorVersion,
    byte MinorVersion,
    byte Flags,
    byte SuggestedMinorVersion,
    int SessionId,
    int RequestId,
    int MessageId,
    int MessageLength)
{
    public const int Size = 20;
    public const byte Compressed = 0x80;
    public const byte Encrypted = 0x40;
    public const byte Truncated = 0x20;

    /// <summary>What Fabrica sends: protocol 2.10 on the envelope (the version this codec implements), suggesting 2.10.</summary>
    public static MessageEnvelope For(int requestId, int messageLength) => new(2, 10, 2, 10, 0, requestId, 0, messageLength);

    public void Write(Span<byte> destination)
    {
        destination[0] = MajorVersion;
        destination[1] = MinorVersion;
        destination[2] = Flags;
        destination[3] = SuggestedMinorVersion;
        BinaryPrimitives.WriteInt32BigEndian(destination[4..], SessionId);
        BinaryPrimitives.WriteInt32BigEndian(destination[8..], RequestId);
        BinaryPrimitives.WriteInt32BigEndian(destination[12..], MessageId);
        BinaryPrimitives.WriteInt32BigEndian(destination[16..], MessageLength);
    }

    public static MessageEnvelope Read(ReadOnlySpan<byte> source) => new(
        source[0], source[1], source[2], source[3],
        BinaryPrimitives.ReadInt32BigEndian(source[4..]),
        BinaryPrimitives.ReadInt32BigEndian(source[8..]),
        BinaryPrimitives.ReadInt32BigEndian(source[12..]),
        BinaryPrimitives.ReadInt32BigEndian(source[16..]));
}

/// <summary>
/// RFC 3652 §2.2.2 message header, 24 bytes:
/// <code>
///   OpCode Int4 | ResponseCode Int4 | OpFlag Int4 | SiteInfoSerial Int2 | RecursionCount Byte | reserved Byte
///   ExpirationTime Int4 | BodyLength Int4
/// </code>
/// </summary>
public readonly record struct MessageHeader(
    OpCode OpCode,
    ResponseCode ResponseCode,
    OpFlags Flags,
    ushort SiteInfoSerial,
    byte RecursionCount,
    uint Expiration,
    int BodyLength)
{
    public const int Size = 24;

    public bool IsRequest => ResponseCode == ResponseCode.Reserved;

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination, (int)OpCode);
        BinaryPrimitives.WriteInt32BigEndian(destination[4..], (int)ResponseCode);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], (uint)Flags);
        BinaryPrimitives.WriteUInt16BigEndian(destination[12..], SiteInfoSerial);
        destination[14] = RecursionCount;
        destination[15] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], Expiration);
        BinaryPrimitives.WriteInt32BigEndian(destination[20..], BodyLength);
    }

    public static MessageHeader Read(ReadOnlySpan<byte> source) => new(
        (OpCode)BinaryPrimitives.ReadInt32BigEndian(source),
        (ResponseCode)BinaryPrimitives.ReadInt32BigEndian(source[4..]),
        (OpFlags)BinaryPrimitives.ReadUInt32BigEndian(source[8..]),
        BinaryPrimitives.ReadUInt16BigEndian(source[12..]),
        source[14],
        BinaryPrimitives.ReadUInt32BigEndian(source[16..]),
        BinaryPrimitives.ReadInt32BigEndian(source[20..]));
}
