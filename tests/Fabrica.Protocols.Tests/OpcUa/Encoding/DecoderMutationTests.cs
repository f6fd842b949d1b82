using CsCheck;
using Fabrica.Protocols.OpcUa;
using Fabrica.Protocols.OpcUa.Services;
using Fabrica.Protocols.OpcUa.Transport;
using Fabrica.Protocols.Tests.OpcUa.Transport;

namespace Fabrica.Protocols.Tests.OpcUa.Encoding;

/// <summary>
/// Seeded mutation loops (a CI-sized stand-in for the fuzz targets): valid encodings with bytes flipped, inserted,
/// removed and lengths overwritten must decode or fail with <see cref="OpcUaServiceException"/> — never another
/// exception, never a hang, never unbounded memory. Whatever decodes is re-encoded and decoded again to the same value.
/// </summary>
public sealed class DecoderMutationTests
{
    private const int Iterations = 100_000;

    [Fact]
    public void Mutated_variants_decode_or_fail_with_the_typed_exception()
    {
        var random = new Random(20240517);
        var seeds = Gen.Select(OpcUaGenerators.Variant(3), OpcUaGenerators.DataValue(2), (v, d) => Variant.FromArray(BuiltInType.Variant, new[] { v, Variant.From(d) }))
            .Array[40].Generate(new PCG(7, 11), null, out _)
            .Select(v => { using var w = new OpcUaBinaryWriter(); w.WriteVariant(v); return w.ToArray(); })
            .ToArray();
        var limits = new OpcUaEncodingLimits { MaxArrayLength = 4096, MaxStringLength = 4096, MaxByteStringLength = 4096 };
        for (var i = 0; i < Iterations; i++)
        {
            var input = Mutate(seeds[random.Next(seeds.Length)], random);
            Variant decoded;
            try
            {
                var reader = new OpcUaBinaryReader(input, limits);
                decoded = reader.ReadVariant();
            }
            catch (OpcUaServiceException)
            {
                continue;
            }
            using var writer = new OpcUaBinaryWriter();
            writer.WriteVariant(decoded);
            var again = new OpcUaBinaryReader(writer.WrittenSpan, limits);
            Assert.Equal(decoded, again.ReadVariant());
        }
    }

    [Fact]
    public void Mutated_publish_responses_decode_or_fail_with_the_typed_exception()
    {
        var random = new Random(4840);
        var seed = PublishResponses.Encode(notifications: 20);
        for (var i = 0; i < Iterations / 2; i++)
        {
            var input = Mutate(seed, random);
            try
            {
                var reader = new OpcUaBinaryReader(input);
                reader.ReadNodeId();
                PublishResponse.Decode(ref reader, ResponseHeader.Decode(ref reader));
            }
            catch (OpcUaServiceException)
            {
            }
        }
    }

    [Fact]
    public void Mutated_chunk_streams_are_split_or_refused_with_the_typed_exception()
    {
        var random = new Random(1234);
        var seed = new HelloMessage(0, 65535, 65535, 0, 0, "opc.tcp://h/p").Encode()
            .Concat(new ErrorMessage(StatusCodes.BadTimeout, "x").Encode())
            .Concat(new AcknowledgeMessage(0, 8192, 8192, 0, 0).Encode()).ToArray();
        for (var i = 0; i < Iterations; i++)
        {
            var input = Mutate(seed, random);
            var buffer = Segments.Of(input, random.Next(input.Length + 1));
            try
            {
                while (UaTcpChunkReader.TryRead(buffer, 8192, out var chunk, out var consumed))
                {
                    Assert.True(chunk.Size >= 8 && chunk.Size <= 8192);
                    if (chunk.MessageType == UaTcpMessageType.Error)
                    {
                        ErrorMessage.Decode(chunk.Body);
                    }
                    buffer = buffer.Slice(consumed);
                }
            }
            catch (OpcUaServiceException)
            {
            }
        }
    }

    internal static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = new List<byte>(seed);
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits && bytes.Count > 0; e++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes[at] = (byte)random.Next(256); break;
                case 2: bytes.Insert(at, (byte)random.Next(256)); break;
                case 3: bytes.RemoveAt(at); break;
                default:
                    // An Int32 length written over whatever is there: the classic allocation attack.
                    var value = random.Next(4) switch { 0 => -1, 1 => int.MaxValue, 2 => random.Next(1 << 20), _ => random.Next(64) };
                    for (var k = 0; k < 4 && at + k < bytes.Count; k++)
                    {
                        bytes[at + k] = (byte)(value >> (8 * k));
                    }
                    break;
            }
        }
        return [.. bytes];
    }
}
