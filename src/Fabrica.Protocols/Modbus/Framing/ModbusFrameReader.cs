using System.Buffers;
using System.Buffers.Binary;

namespace Fabrica.Protocols.Modbus;

/// <summary>
/// Splits a byte stream into Modbus TCP frames (Messaging on TCP/IP v1.0b §3.1.3, "MBAP Header description"):
/// <code>
///  0               1               2               3
///  +---------------+---------------+---------------+---------------+
///  |        Transaction id         |   Protocol id (0 = Modbus)    |
///  +---------------+---------------+---------------+---------------+
///  |   Length (unit id + PDU)      |    Unit id    | Function code |  PDU: function code + data,
///  +---------------+---------------+---------------+---------------+       at most 253 bytes
/// </code>
/// The header is validated as soon as its 7 bytes are present, so a garbage length never makes the reader
/// wait for (or buffer) bytes that will not come.
/// </summary>
public static class ModbusFrameReader
{
    /// <summary>
    /// Reads one frame. Returns false when <paramref name="buffer"/> holds no whole frame yet (nothing consumed);
    /// throws <see cref="ModbusProtocolException"/> when the header is not Modbus.
    /// </summary>
    public static bool TryRead(in ReadOnlySequence<byte> buffer, out ModbusFrame frame, out SequencePosition consumed)
    {
        frame = default;
        consumed = buffer.Start;
        if (buffer.Length < ModbusLimits.MbapHeaderLength)
        {
            return false;
        }

        ReadOnlySpan<byte> header = buffer.FirstSpan;
        if (header.Length < ModbusLimits.MbapHeaderLength)
        {
            // A header split across segments is rare: copy its 7 bytes to the stack.
            Span<byte> copy = stackalloc byte[ModbusLimits.MbapHeaderLength];
            buffer.Slice(0, ModbusLimits.MbapHeaderLength).CopyTo(copy);
            return TryReadCore(buffer, copy, out frame, out consumed);
        }

        return TryReadCore(buffer, header, out frame, out consumed);
    }

    /// <summary>
    /// False when <paramref name="buffer"/> holds a whole MBAP header that can never start a frame (protocol id not 0,
    /// or length outside 2..254): exactly the headers <see cref="TryRead"/> throws for, decided without throwing.
    /// A reader that lost its framing asks this at every byte while it slides to the next header, so garbage costs
    /// a few comparisons per byte instead of an exception per byte. True when fewer than 7 bytes are there yet.
    /// </summary>
    public static bool CanStartFrame(in ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length < ModbusLimits.MbapHeaderLength)
        {
            return true;
        }

        Span<byte> header = stackalloc byte[ModbusLimits.MbapHeaderLength];
        buffer.Slice(0, ModbusLimits.MbapHeaderLength).CopyTo(header);
        var length = BinaryPrimitives.ReadUInt16BigEndian(header[4..]);
        return BinaryPrimitives.ReadUInt16BigEndian(header[2..]) == 0
            && length is >= ModbusLimits.MinMbapLength and <= ModbusLimits.MaxMbapLength;
    }

    private static bool TryReadCore(in ReadOnlySequence<byte> buffer, ReadOnlySpan<byte> header, out ModbusFrame frame, out SequencePosition consumed)
    {
        frame = default;
        consumed = buffer.Start;
        var transactionId = BinaryPrimitives.ReadUInt16BigEndian(header);
        var protocolId = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
        var length = BinaryPrimitives.ReadUInt16BigEndian(header[4..]);
        var unitId = header[6];

        // Length first: when it is sane, the frame can be skipped as a whole even with a foreign protocol id.
        if (length is < ModbusLimits.MinMbapLength or > ModbusLimits.MaxMbapLength)
        {
            ModbusProtocolException.Throw(ModbusProtocolError.InvalidLength, $"MBAP length {length} is outside 2..254.");
        }

        var frameLength = ModbusLimits.MbapHeaderLength - 1 + length;
        if (protocolId != 0)
        {
            ModbusProtocolException.Throw(ModbusProtocolError.InvalidProtocolId, $"MBAP protocol id {protocolId} is not 0 (Modbus).", frameLength);
        }

        if (buffer.Length < frameLength)
        {
            return false;
        }

        frame = new ModbusFrame(transactionId, unitId, buffer.Slice(ModbusLimits.MbapHeaderLength, length - 1));
        consumed = buffer.GetPosition(frameLength);
        return true;
    }
}
