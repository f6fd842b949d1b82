using System.Buffers.Binary;
using System.Numerics;

namespace Fabrica.Storage.Wal;

/// <summary>
/// CRC-32C (Castagnoli, RFC 3720 §B.4): the SSE4.2 / ARMv8 CRC instruction through
/// <see cref="BitOperations.Crc32C(uint, ulong)"/>, eight bytes per step.
/// </summary>
internal static class Crc32C
{
    public const uint Seed = 0xFFFFFFFF;

    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Update(Seed, data));

    public static uint Finish(uint crc) => ~crc;

    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        if (data.Length >= 4)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt32LittleEndian(data));
            data = data[4..];
        }
        foreach (var b in data)
            crc = BitOperations.Crc32C(crc, b);
        return crc;
    }
}
