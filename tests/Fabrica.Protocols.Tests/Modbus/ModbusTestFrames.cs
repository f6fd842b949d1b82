using System.Buffers;
using Fabrica.Protocols.Modbus;

namespace Fabrica.Protocols.Tests.Modbus;

/// <summary>Valid frames of every function, requests and responses, and sequences split into segments.</summary>
internal static class ModbusTestFrames
{
    public static IEnumerable<byte[]> Requests()
    {
        byte[] pdu = new byte[ModbusLimits.MaxPduLength];
        yield return Frame(1, 1, pdu.AsSpan(0, ModbusPduWriter.WriteReadRequest(pdu, ModbusFunctionCode.ReadCoils, 0, 2000)));
        yield return Frame(2, 2, pdu.AsSpan(0, ModbusPduWriter.WriteReadRequest(pdu, ModbusFunctionCode.ReadDiscreteInputs, 100, 1)));
        yield return Frame(3, 3, pdu.AsSpan(0, ModbusPduWriter.WriteReadRequest(pdu, ModbusFunctionCode.ReadHoldingRegisters, 65410, 125)));
        yield return Frame(4, 255, pdu.AsSpan(0, ModbusPduWriter.WriteReadRequest(pdu, ModbusFunctionCode.ReadInputRegisters, 7, 3)));
        yield return Frame(5, 0, pdu.AsSpan(0, ModbusPduWriter.WriteSingleCoilRequest(pdu, 9, true)));
        yield return Frame(6, 1, pdu.AsSpan(0, ModbusPduWriter.WriteSingleRegisterRequest(pdu, 9, 0xBEEF)));
        yield return Frame(7, 1, pdu.AsSpan(0, ModbusPduWriter.WriteMultipleCoilsRequest(pdu, 20, Enumerable.Range(0, 1968).Select(i => i % 3 == 0).ToArray())));
        yield return Frame(8, 1, pdu.AsSpan(0, ModbusPduWriter.WriteMultipleRegistersRequest(pdu, 30, Enumerable.Range(0, 123).Select(i => (ushort)(i * 511)).ToArray())));
        yield return Frame(9, 1, pdu.AsSpan(0, ModbusPduWriter.WriteReadWriteRequest(pdu, 40, 125, 50, Enumerable.Range(0, 121).Select(i => (ushort)i).ToArray())));
    }

    public static IEnumerable<byte[]> Responses()
    {
        byte[] pdu = new byte[ModbusLimits.MaxPduLength];
        yield return Frame(1, 1, pdu.AsSpan(0, ModbusPduWriter.WriteBitsResponse(pdu, ModbusFunctionCode.ReadCoils, Enumerable.Range(0, 2000).Select(i => i % 7 == 0).ToArray())));
        yield return Frame(2, 1, pdu.AsSpan(0, ModbusPduWriter.WriteRegistersResponse(pdu, ModbusFunctionCode.ReadHoldingRegisters, Enumerable.Range(0, 125).Select(i => (ushort)i).ToArray())));
        yield return Frame(3, 1, pdu.AsSpan(0, ModbusPduWriter.WriteEcho(pdu, ModbusFunctionCode.WriteMultipleRegisters, 10, 2)));
        yield return Frame(4, 1, pdu.AsSpan(0, ModbusPduWriter.WriteExceptionResponse(pdu, 3, ModbusExceptionCode.IllegalDataAddress)));
    }

    public static IEnumerable<byte[]> All() => Requests().Concat(Responses());

    public static byte[] Frame(ushort transactionId, byte unitId, ReadOnlySpan<byte> pdu)
    {
        var frame = new byte[ModbusLimits.MbapHeaderLength + pdu.Length];
        ModbusFrameWriter.Write(frame, transactionId, unitId, pdu);
        return frame;
    }

    /// <summary>The bytes as a sequence of segments cut at <paramref name="cuts"/>.</summary>
    public static ReadOnlySequence<byte> Segmented(byte[] bytes, params int[] cuts)
    {
        var bounds = cuts.Where(c => c > 0 && c < bytes.Length).Distinct().Order().Append(bytes.Length).ToArray();
        Segment? first = null, last = null;
        var start = 0;
        foreach (var end in bounds)
        {
            var segment = new Segment(bytes.AsMemory(start, end - start), last);
            first ??= segment;
            last = segment;
            start = end;
        }

        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, Segment? previous)
        {
            Memory = memory;
            if (previous is not null)
            {
                RunningIndex = previous.RunningIndex + previous.Memory.Length;
                previous.Next = this;
            }
        }
    }
}
