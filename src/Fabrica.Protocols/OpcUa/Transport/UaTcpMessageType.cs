using System.Buffers.Binary;

namespace Fabrica.Protocols.OpcUa.Transport;

/// <summary>
/// The message header every UA TCP message and secure-conversation chunk starts with (OPC 10000-6 §7.1.2.2):
/// <code>
///  0       3    4           8
///  +-------+----+-----------+
///  | type  | F  |   size    |   type: 3 ASCII bytes, HEL ACK ERR RHE / MSG OPN CLO
///  +-------+----+-----------+   F: 'F' final, 'C' intermediate, 'A' abort ('F' for HEL/ACK/ERR)
///                               size: UInt32, the whole message including this header
/// </code>
/// </summary>
public enum UaTcpMessageType : uint
{
    // The three ASCII letters as a little-endian UInt32 of the first three bytes.
    Hello = 'H' | ('E' << 8) | ('L' << 16),
    Acknowledge = 'A' | ('C' << 8) | ('K' << 16),
    Error = 'E' | ('R' << 8) | ('R' << 16),
    ReverseHello = 'R' | ('H' << 8) | ('E' << 16),
    Message = 'M' | ('S' << 8) | ('G' << 16),
    OpenSecureChannel = 'O' | ('P' << 8) | ('N' << 16),
    CloseSecureChannel = 'C' | ('L' << 8) | ('O' << 16),
}

public enum UaTcpChunkType : byte
{
    Final = (byte)'F',
    Intermediate = (byte)'C',
    Abort = (byte)'A',
}

internal static class UaTcpHeader
{
    public const int Size = 8;

    /// <summary>OPC 10000-6 §7.1.2.3: no buffer smaller than 8192 bytes may be negotiated.</summary>
    public const int MinBufferSize = 8192;

    public const uint ProtocolVersion = 0;

    public static void Write(Span<byte> destination, UaTcpMessageType type, UaTcpChunkType chunkType, int size)
    {
        var tag = (uint)type | ((uint)chunkType << 24);
        BinaryPrimitives.WriteUInt32LittleEndian(destination, tag);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], (uint)size);
    }

    public static bool IsKnown(uint type) => (UaTcpMessageType)type is UaTcpMessageType.Hello or UaTcpMessageType.Acknowledge
        or UaTcpMessageType.Error or UaTcpMessageType.ReverseHello or UaTcpMessageType.Message
        or UaTcpMessageType.OpenSecureChannel or UaTcpMessageType.CloseSecureChannel;
}
