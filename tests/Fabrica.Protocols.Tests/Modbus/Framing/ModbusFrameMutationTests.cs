using System.Buffers;
using Fabrica.Protocols.Modbus;

namespace Fabrica.Protocols.Tests.Modbus.Framing;

/// <summary>
/// A seeded in-process mutation loop over the decoders (the CI budget of a fuzz run; a SharpFuzz target is still to come,
/// see docs/modbus.md). Whatever the decoders accept is re-checked: re-encoding gives back the same bytes.
/// </summary>
public sealed class ModbusFrameMutationTests
{
    [Fact]
    public void Mutated_frames_either_decode_to_something_that_re_encodes_identically_or_throw_the_protocol_exception()
    {
        var random = new Random(20261130);
        var seeds = ModbusTestFrames.All().Concat(CorpusFiles()).ToArray();
        var accepted = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var input = Mutate(seeds[random.Next(seeds.Length)], random);
            if (Check(input))
            {
                accepted++;
            }
        }

        Assert.True(accepted > 1000, $"only {accepted} mutants were accepted: the mutations are too destructive to test acceptance");
    }

    [Fact]
    public void The_saved_fuzz_corpus_replays_without_unexpected_exceptions()
    {
        foreach (var input in CorpusFiles())
        {
            Check(input);
        }
    }

    /// <summary>The check a fuzz target runs on each input. True when a frame was accepted.</summary>
    internal static bool Check(byte[] input)
    {
        var sequence = new ReadOnlySequence<byte>(input);
        try
        {
            if (!ModbusFrameReader.TryRead(sequence, out var frame, out var consumed))
            {
                Assert.Equal(sequence.Start, consumed);
                return false;
            }

            var pdu = frame.Pdu.ToArray();
            var length = (int)sequence.Slice(0, consumed).Length;
            var again = new byte[length];
            ModbusFrameWriter.Write(again, frame.TransactionId, frame.UnitId, pdu);
            Assert.Equal(input.AsSpan(0, length).ToArray(), again);

            var response = new byte[ModbusLimits.MaxPduLength];
            var written = ModbusRequestHandler.Handle(pdu, 1, Model, response);
            Assert.InRange(written, 2, ModbusLimits.MaxPduLength);
            if (ModbusRequestPdu.TryParse(pdu, out var request) == ModbusExceptionCode.None)
            {
                Assert.Equal(pdu, ReEncode(request));
            }

            return true;
        }
        catch (ModbusProtocolException)
        {
            return false;
        }
    }

    private static readonly ModbusMemoryDataModel Model = new ModbusMemoryDataModel().Add(1, new ModbusMemoryUnit(1000, 1000, 1000, 1000));

    private static byte[] ReEncode(in ModbusRequestPdu request)
    {
        var buffer = new byte[ModbusLimits.MaxPduLength];
        var registers = new ushort[request.Function == ModbusFunctionCode.ReadWriteMultipleRegisters ? request.WriteQuantity : request.Quantity];
        var bits = new bool[request.Quantity];
        for (var i = 0; i < registers.Length && request.Data.Length >= 2 * registers.Length; i++)
        {
            registers[i] = (ushort)((request.Data[2 * i] << 8) | request.Data[(2 * i) + 1]);
        }

        for (var i = 0; i < bits.Length && !request.Data.IsEmpty; i++)
        {
            bits[i] = (request.Data[i >> 3] & (1 << (i & 7))) != 0;
        }

        var length = request.Function switch
        {
            ModbusFunctionCode.WriteSingleCoil or ModbusFunctionCode.WriteSingleRegister =>
                ModbusPduWriter.WriteEcho(buffer, request.Function, request.Address, request.Value),
            ModbusFunctionCode.WriteMultipleCoils => ModbusPduWriter.WriteMultipleCoilsRequest(buffer, request.Address, bits),
            ModbusFunctionCode.WriteMultipleRegisters => ModbusPduWriter.WriteMultipleRegistersRequest(buffer, request.Address, registers),
            ModbusFunctionCode.ReadWriteMultipleRegisters => ModbusPduWriter.WriteReadWriteRequest(buffer, request.Address, request.Quantity, request.WriteAddress, registers),
            _ => ModbusPduWriter.WriteReadRequest(buffer, request.Function, request.Address, request.Quantity),
        };

        // Packed coils carry unused high bits the sender may set: compare the significant ones only.
        if (request.Function == ModbusFunctionCode.WriteMultipleCoils && request.Quantity % 8 != 0)
        {
            var last = 5 + request.Data.Length;
            buffer[last] |= (byte)(request.Data[^1] & ~((1 << (request.Quantity % 8)) - 1));
        }

        return buffer[..length];
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = seed.ToList();
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            switch (random.Next(5))
            {
                case 0 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                    break;
                case 2 when bytes.Count > 0:
                    bytes.RemoveRange(random.Next(bytes.Count), 1);
                    break;
                case 3:
                    bytes.Insert(random.Next(bytes.Count + 1), (byte)random.Next(256));
                    break;
                default:
                    // Keep the MBAP length consistent with a changed PDU, so the PDU checks are reached too.
                    if (bytes.Count >= 7)
                    {
                        var length = Math.Clamp(bytes.Count - 6, 0, 0xFFFF);
                        bytes[4] = (byte)(length >> 8);
                        bytes[5] = (byte)length;
                    }

                    break;
            }
        }

        return [.. bytes];
    }

    // Inputs worth keeping (frames that once broke a reader, edge cases), one file each, next to this source file.
    private static IEnumerable<byte[]> CorpusFiles([System.Runtime.CompilerServices.CallerFilePath] string source = "")
    {
        var dir = Path.Combine(Path.GetDirectoryName(source)!, "corpus");
        return Directory.GetFiles(dir).Order(StringComparer.Ordinal).Select(File.ReadAllBytes);
    }
}
