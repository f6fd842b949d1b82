using System.Buffers;

namespace Fabrica.Protocols.Modbus;

/// <summary>
/// One Modbus TCP ADU: MBAP header fields and the PDU (Messaging on TCP/IP v1.0b §3.1.3).
/// <see cref="Pdu"/> is a slice of the reader's buffer, valid until the reader advances past it.
/// </summary>
public readonly struct ModbusFrame
{
    public ModbusFrame(ushort transactionId, byte unitId, ReadOnlySequence<byte> pdu)
    {
        TransactionId = transactionId;
        UnitId = unitId;
        Pdu = pdu;
    }

    public ushort TransactionId { get; }

    public byte UnitId { get; }

    /// <summary>Function code and data, 1 to 253 bytes.</summary>
    public ReadOnlySequence<byte> Pdu { get; }

    /// <summary>The first PDU byte: a function code, with bit 7 set in an exception response.</summary>
    public byte FunctionCode => Pdu.FirstSpan[0];

    /// <summary>
    /// The PDU as one span: the buffer's own memory when it is contiguous (the usual case),
    /// else a copy into <paramref name="scratch"/> (at least <see cref="ModbusLimits.MaxPduLength"/> bytes).
    /// </summary>
    public ReadOnlySpan<byte> GetPduSpan(Span<byte> scratch)
    {
        if (Pdu.IsSingleSegment)
        {
            return Pdu.FirstSpan;
        }

        var length = (int)Pdu.Length;
        Pdu.CopyTo(scratch);
        return scratch[..length];
    }
}
