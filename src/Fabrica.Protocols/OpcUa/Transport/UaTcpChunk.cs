using System.Buffers;
using System.Buffers.Binary;

namespace Fabrica.Protocols.OpcUa.Transport;

/// <summary>
/// One UA TCP message or chunk as read from the stream: its header fields and the bytes after the header.
/// <see cref="Body"/> points into the reader's buffer and is valid until the caller advances past it.
/// </summary>
public readonly record struct UaTcpChunk(UaTcpMessageType MessageType, UaTcpChunkType ChunkType, ReadOnlySequence<byte> Body)
{
    public int Size => (int)Body.Length + UaTcpHeader.Size;
}

/// <summary>
/// Splits a byte stream into UA TCP messages/chunks (OPC 10000-6 §7.1.2.2). The TryRead contract of all Fabrica
/// parsers: <c>false</c> means "need more bytes" and consumed nothing; a header that can never become valid
/// (unknown type, unknown chunk type, size below the header or above the negotiated receive buffer) throws
/// <see cref="OpcUaServiceException"/> at once, before the body arrives or anything is allocated for it.
/// </summary>
public static class UaTcpChunkReader
{
    public static bool TryRead(in ReadOnlySequence<byte> buffer, int maxChunkSize, out UaTcpChunk chunk, out SequencePosition consumed)
    {
        chunk = default;
        consumed = buffer.Start;
        if (buffer.Length < UaTcpHeader.Size)
        {
            return false;
        }
        Span<byte> header = stackalloc byte[UaTcpHeader.Size];
        if (buffer.FirstSpan.Length >= UaTcpHeader.Size)
        {
            buffer.FirstSpan[..UaTcpHeader.Size].CopyTo(header);
        }
        else
        {
            buffer.Slice(0, UaTcpHeader.Size).CopyTo(header);
        }
        var tag = BinaryPrimitives.ReadUInt32LittleEndian(header);
        var type = tag & 0x00FF_FFFF;
        var chunkType = (UaTcpChunkType)(tag >> 24);
        var size = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        if (!UaTcpHeader.IsKnown(type))
        {
            OpcUaThrow.Status(StatusCodes.BadTcpMessageTypeInvalid, $"unknown UA TCP message type 0x{type:X6}");
        }
        if (chunkType is not (UaTcpChunkType.Final or UaTcpChunkType.Intermediate or UaTcpChunkType.Abort))
        {
            OpcUaThrow.Status(StatusCodes.BadTcpMessageTypeInvalid, $"unknown chunk type 0x{(byte)chunkType:X2}");
        }
        if (size < UaTcpHeader.Size)
        {
            OpcUaThrow.Status(StatusCodes.BadTcpMessageTypeInvalid, $"message size {size} is smaller than its header");
        }
        if (size > (uint)maxChunkSize)
        {
            OpcUaThrow.Status(StatusCodes.BadTcpMessageTooLarge, $"chunk of {size} bytes exceeds the receive buffer of {maxChunkSize}");
        }
        if (buffer.Length < size)
        {
            return false;
        }
        var whole = buffer.Slice(0, size);
        chunk = new UaTcpChunk((UaTcpMessageType)type, chunkType, whole.Slice(UaTcpHeader.Size));
        consumed = whole.End;
        return true;
    }
}
