namespace Fabrica.Fuzz;

/// <summary>
/// The mutations of the in-process loop, chosen for these binary formats: bit flips and byte changes, insertions,
/// deletions, truncations, splices of two inputs, repeated blocks (frame and chunk floods), and length fields
/// overwritten with boundary values — 16-bit big-endian for Modbus, 32-bit little-endian for OPC UA. Deterministic
/// for a given <see cref="Random"/>: a seed and an iteration number reproduce an input.
/// </summary>
public sealed class FuzzMutator
{
    private static readonly ushort[] Interesting16 = [0, 1, 2, 6, 7, 0x7F, 0x80, 0xFF, 253, 254, 255, 256, 260, 2000, 2001, 0x7FFF, 0x8000, 0xFFFF];
    private static readonly int[] Interesting32 = [-1, -2, 0, 1, 2, 7, 8, 32, 33, 4096, 4097, 8192, 8193, 65536, 1 << 20, int.MaxValue, int.MinValue];
    private readonly Random _random;

    public FuzzMutator(Random random)
    {
        _random = random;
    }

    /// <summary>One to four stacked mutations of a seed picked from <paramref name="seeds"/>.</summary>
    public byte[] Next(IReadOnlyList<byte[]> seeds)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        var bytes = new List<byte>(seeds[_random.Next(seeds.Count)]);
        for (var n = _random.Next(1, 5); n > 0; n--)
        {
            Mutate(bytes, seeds);
        }

        return [.. bytes];
    }

    private void Mutate(List<byte> bytes, IReadOnlyList<byte[]> seeds)
    {
        var at = bytes.Count == 0 ? 0 : _random.Next(bytes.Count);
        switch (_random.Next(11))
        {
            case 0 when bytes.Count > 0:
                bytes[at] ^= (byte)(1 << _random.Next(8));
                break;
            case 1 when bytes.Count > 0:
                bytes[at] = (byte)_random.Next(256);
                break;
            case 2 when bytes.Count > 0:
                bytes[at] = (byte)(_random.Next(5) switch { 0 => 0, 1 => 1, 2 => 0x7F, 3 => 0x80, _ => 0xFF });
                break;
            case 3:
                for (var k = _random.Next(1, 5); k > 0; k--)
                {
                    bytes.Insert(at, (byte)_random.Next(256));
                }

                break;
            case 4 when bytes.Count > 0:
                bytes.RemoveRange(at, Math.Min(bytes.Count - at, _random.Next(1, 9)));
                break;
            case 5:
                // Truncation: the classic out-of-bounds read of a decoder that trusts a length.
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            case 6:
                var other = seeds[_random.Next(seeds.Count)];
                var from = other.Length == 0 ? 0 : _random.Next(other.Length);
                bytes.RemoveRange(at, bytes.Count - at);
                bytes.AddRange(other.AsSpan(from).ToArray());
                break;
            case 7 when bytes.Count > 0:
                // A block repeated: many frames, many chunks, deep nesting from one level.
                var length = Math.Min(bytes.Count - at, _random.Next(1, 64));
                var block = bytes.GetRange(at, length);
                for (var k = _random.Next(1, 16); k > 0; k--)
                {
                    bytes.InsertRange(at, block);
                }

                break;
            case 8 when bytes.Count >= 2:
                var value16 = _random.Next(3) == 0 ? (ushort)_random.Next(0x10000) : Interesting16[_random.Next(Interesting16.Length)];
                at = Math.Min(at, bytes.Count - 2);
                bytes[at] = (byte)(value16 >> 8);
                bytes[at + 1] = (byte)value16;
                break;
            case 9 when bytes.Count >= 4:
                var value32 = _random.Next(3) == 0 ? _random.Next(-16, 1 << 16) : Interesting32[_random.Next(Interesting32.Length)];
                at = Math.Min(at, bytes.Count - 4);
                for (var k = 0; k < 4; k++)
                {
                    bytes[at + k] = (byte)(value32 >> (8 * k));
                }

                break;
            default:
                bytes.AddRange(seeds[_random.Next(seeds.Count)]);
                break;
        }

        if (bytes.Count > FuzzTarget.MaxInputLength)
        {
            bytes.RemoveRange(FuzzTarget.MaxInputLength, bytes.Count - FuzzTarget.MaxInputLength);
        }
    }
}
