using System.Buffers.Binary;

namespace Fabrica.Protocols.Modbus;

/// <summary>Writes MBAP headers (Messaging on TCP/IP v1.0b §3.1.3) in front of PDUs.</summary>
public static class ModbusFrameWriter
{
    /// <summary>Writes the 7-byte header for a PDU of <paramref name="pduLength"/> bytes.</summary>
    public static void WriteHeader(Span<byte> destination, ushort transactionId, byte unitId, int pduLength)
    {
        if ((uint)(pduLength - 1) >= ModbusLimits.MaxPduLength)
        {
            throw new ArgumentOutOfRangeException(nameof(pduLength), pduLength, "A Modbus PDU has 1 to 253 bytes.");
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, transactionId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], (ushort)(pduLength + 1));
        destination[6] = unitId;
    }

    /// <summary>Writes a whole ADU and returns its length.</summary>
    public static int Write(Span<byte> destination, ushort transactionId, byte unitId, ReadOnlySpan<byte> pdu)
    {
        WriteHeader(destination, transactionId, unitId, pdu.Length);
        pdu.CopyTo(destination[ModbusLimits.MbapHeaderLength..]);
        return ModbusLimits.MbapHeaderLength + pdu.Length;
    }
}
