using System.Buffers;
using Fabrica.Protocols.Modbus;

namespace Fabrica.Fuzz;

/// <summary>
/// Fuzz target of the Modbus TCP decoders (Messaging on TCP/IP v1.0b §3.1.3, Application Protocol v1.1b3 §6–7).
/// The input is a byte stream as a socket delivers it. It is split into frames by <see cref="ModbusFrameReader"/>
/// exactly as the client's read loop does (skip a bad frame whose length is sane, else slide one byte), once as one
/// segment and once cut into several: both must yield the same frames. Every accepted frame is re-checked:
/// <list type="bullet">
/// <item>its MBAP header and PDU re-encode to the very bytes read;</item>
/// <item>as a server request: the server's answer is a well-formed response that our own client accepts for that
/// request (or the exception response of the code the parser gave), and a well-formed request re-encodes identically;</item>
/// <item>as a client response to the request outstanding under its transaction id: what the validator accepts
/// re-encodes identically from the values read out of it.</item>
/// </list>
/// </summary>
public static partial class ModbusFrameTarget
{
    public static int Run(ReadOnlySpan<byte> input)
    {
        var bytes = input.Length > FuzzTarget.MaxInputLength ? input[..FuzzTarget.MaxInputLength].ToArray() : input.ToArray();
        var model = new ModbusMemoryDataModel().Add(1, new ModbusMemoryUnit(1000, 1000, 1000, 1000));
        var frames = ReadStream(new ReadOnlySequence<byte>(bytes), bytes, model);
        var again = ReadStream(FuzzSegments.Of(bytes, FuzzSegments.CutsFor(bytes)), bytes, model: null);
        FuzzInvariantException.Check(frames.SequenceEqual(again), "the frames read depend on how the stream is segmented");
        return frames.Count;
    }

    /// <summary>Reads frames the way the client's read loop does; returns (offset, length) of each accepted frame.</summary>
    private static List<(long Offset, int Length)> ReadStream(ReadOnlySequence<byte> buffer, byte[] bytes, ModbusMemoryDataModel? model)
    {
        var accepted = new List<(long, int)>();
        var resyncing = false;
        while (!buffer.IsEmpty)
        {
            var offset = bytes.Length - buffer.Length;
            var canStart = ModbusFrameReader.CanStartFrame(buffer);
            if (resyncing && !canStart)
            {
                buffer = buffer.Slice(1);
                continue;
            }

            ModbusFrame frame;
            SequencePosition consumed;
            try
            {
                if (!ModbusFrameReader.TryRead(buffer, out frame, out consumed))
                {
                    FuzzInvariantException.Check(consumed.Equals(buffer.Start), "TryRead returned false but consumed bytes");
                    FuzzInvariantException.Check(canStart, "TryRead waits for more after a header CanStartFrame refuses");
                    FuzzInvariantException.Check(buffer.Length < ModbusLimits.MaxAduLength, $"TryRead wants more than {buffer.Length} bytes, beyond the largest frame");
                    break;
                }
            }
            catch (ModbusProtocolException ex)
            {
                FuzzInvariantException.Check(!canStart, $"TryRead threw for a header CanStartFrame accepts: {ex.Message}");
                FuzzInvariantException.Check(ex.FrameLength is 0 or (>= ModbusLimits.MbapHeaderLength + 1 and <= ModbusLimits.MaxAduLength), $"FrameLength {ex.FrameLength} is not a frame length");
                if (!resyncing && ex.FrameLength > 0 && buffer.Length >= ex.FrameLength)
                {
                    buffer = buffer.Slice(ex.FrameLength);
                    continue;
                }

                resyncing = true;
                buffer = buffer.Slice(1);
                continue;
            }

            FuzzInvariantException.Check(canStart, "TryRead accepted a header CanStartFrame refuses");
            resyncing = false;
            var length = (int)buffer.Slice(0, consumed).Length;
            CheckFrame(frame, bytes.AsSpan((int)offset, length));
            if (model is not null)
            {
                var pdu = frame.Pdu.ToArray();
                CheckAsServerRequest(pdu, frame.UnitId, model);
                CheckAsClientResponse(pdu, frame.TransactionId);
            }

            accepted.Add((offset, length));
            buffer = buffer.Slice(consumed);
        }

        return accepted;
    }

    private static void CheckFrame(in ModbusFrame frame, ReadOnlySpan<byte> raw)
    {
        var pduLength = (int)frame.Pdu.Length;
        FuzzInvariantException.Check(pduLength is >= 1 and <= ModbusLimits.MaxPduLength, $"accepted a PDU of {pduLength} bytes");
        Span<byte> scratch = stackalloc byte[ModbusLimits.MaxPduLength];
        var pdu = frame.GetPduSpan(scratch);
        FuzzInvariantException.Check(pdu.Length == pduLength && pdu[0] == frame.FunctionCode, "the PDU span disagrees with the PDU");
        Span<byte> encoded = stackalloc byte[ModbusLimits.MaxAduLength];
        var written = ModbusFrameWriter.Write(encoded, frame.TransactionId, frame.UnitId, pdu);
        FuzzInvariantException.Check(encoded[..written].SequenceEqual(raw), "the frame does not re-encode to the bytes read");
    }
}
