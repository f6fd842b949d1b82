namespace Fabrica.Storage.Chunks;

/// <summary>What a chunk holds, read without decoding its streams (see <see cref="ChunkCodec.ReadHeader"/>).</summary>
internal readonly record struct ChunkHeader(ValueKind Kind, int Count, long MinTimestamp, long MaxTimestamp);
