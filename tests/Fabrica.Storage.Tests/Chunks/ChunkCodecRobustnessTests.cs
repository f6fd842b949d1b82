using CsCheck;
using Fabrica.Storage.Chunks;

namespace Fabrica.Storage.Tests.Chunks;

/// <summary>
/// Chunks come back from disk: whatever the bytes, decoding either succeeds or throws ChunkFormatException
/// (never IndexOutOfRange, OutOfMemory or a hang). A seeded in-process mutation loop, as TOOLCHAIN-NOTES
/// suggests for a fixed CI budget.
/// </summary>
public sealed class ChunkCodecRobustnessTests
{
    private static readonly Lazy<byte[][]> Corpus = new(BuildCorpus);

    [Fact]
    public void Every_proper_prefix_of_a_valid_chunk_is_rejected_as_malformed()
    {
        foreach (byte[] chunk in Corpus.Value)
        {
            for (int length = 0; length < chunk.Length; length++)
            {
                Assert.Throws<ChunkFormatException>(() => ChunkCodec.Decode(chunk.AsSpan(0, length), []));
            }
        }
    }

    [Fact]
    public void Random_mutations_of_valid_chunks_decode_or_throw_chunk_format_exception()
    {
        var random = new Random(20240611);
        byte[][] corpus = Corpus.Value;
        for (int iteration = 0; iteration < 20_000; iteration++)
        {
            byte[] mutated = Mutate(corpus[random.Next(corpus.Length)], random);
            AssertDecodesOrRejects(mutated, $"iteration {iteration}");
        }
    }

    [Fact]
    public void Random_bytes_after_a_valid_header_decode_or_throw_chunk_format_exception() =>
        Gen.Select(Gen.Byte[1, 4], Gen.Int[1, 300], Gen.Byte.Array[0, 200]).Sample((kind, count, tail) =>
        {
            byte[] chunk = [1, kind, (byte)(tail.Length % 2), (byte)(count & 0x7F), 0, 0, 0, 0, 0, 0, 0, 0, 0x7F, .. tail];
            AssertDecodesOrRejects(chunk, "random tail");
        }, iter: 20_000);

    private static void AssertDecodesOrRejects(byte[] chunk, string context)
    {
        var decoded = new List<Sample>();
        try
        {
            ChunkCodec.Decode(chunk, decoded);
        }
        catch (ChunkFormatException)
        {
            return;
        }
        catch (Exception exception)
        {
            Assert.Fail($"{context}: {exception.GetType().Name} for chunk {Convert.ToHexString(chunk)}\n{exception}");
        }

        // Whatever was accepted must still satisfy the header and the chunk invariants.
        ChunkHeader header = ChunkCodec.ReadHeader(chunk);
        Assert.Equal(header.Count, decoded.Count);
        Assert.Equal(header.MinTimestamp, decoded[0].Timestamp);
        Assert.Equal(header.MaxTimestamp, decoded[^1].Timestamp);
        Assert.All(decoded, s => Assert.Equal(header.Kind, s.Value.Kind));
        for (int i = 1; i < decoded.Count; i++)
        {
            Assert.True(decoded[i].Timestamp > decoded[i - 1].Timestamp, context);
        }
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        int mutations = random.Next(1, 5);
        for (int m = 0; m < mutations && bytes.Count > 0; m++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes[at] = random.Next(2) == 0 ? (byte)0xFF : (byte)0;
                    break;
                case 3:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                case 4:
                    bytes.RemoveAt(at);
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
    }

    /// <summary>Valid chunks that reach every stream method: XOR and decimal doubles, both integer layouts, all kinds.</summary>
    private static byte[][] BuildCorpus()
    {
        var random = new Random(42);
        var chunks = new List<byte[]>();
        Sample[] At(int n, Func<int, SampleValue> value, Func<int, Quality>? quality = null, int period = 1000, int jitter = 0) =>
            Enumerable.Range(0, n).Select(i => new Sample(1_700_000_000_000 + (i * (long)period) + random.Next(jitter + 1), value(i), quality?.Invoke(i) ?? Quality.Good)).ToArray();

        chunks.Add(ChunkCodec.Encode(At(240, i => Math.Round(20 + (i * 0.01) + random.NextDouble(), 2))));
        chunks.Add(ChunkCodec.Encode(At(100, i => BitConverter.Int64BitsToDouble(random.NextInt64()), period: 100, jitter: 3)));
        chunks.Add(ChunkCodec.Encode(At(60, i => i % 7 == 0 ? double.NaN : Math.Round(random.NextDouble() * 10, 3), i => (Quality)(i / 20))));
        chunks.Add(ChunkCodec.Encode(At(120, i => (long)i * 17, period: 10, jitter: 2)));
        chunks.Add(ChunkCodec.Encode(At(80, i => random.NextInt64(long.MinValue, long.MaxValue))));
        chunks.Add(ChunkCodec.Encode(At(50, i => i / 10 % 2 == 0, i => i % 3 == 0 ? Quality.Bad : Quality.Good)));
        chunks.Add(ChunkCodec.Encode(At(40, i => i % 3 == 0 ? "RUNNING" : "Störung 運転中")));
        chunks.Add(ChunkCodec.Encode([new Sample(long.MinValue, 1.0), new Sample(long.MaxValue, -0.0)]));
        chunks.Add(ChunkCodec.Encode([new Sample(3, "")]));
        return [.. chunks];
    }
}
