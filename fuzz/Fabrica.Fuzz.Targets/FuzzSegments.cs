using System.Buffers;

namespace Fabrica.Fuzz;

/// <summary>
/// The same bytes as a sequence of several segments, as a socket pipe delivers them: a reader must read the same
/// frames whatever the segmentation (the split-header paths of Kestrel-style readers are where bugs hide).
/// </summary>
public sealed class FuzzSegments : ReadOnlySequenceSegment<byte>
{
    private FuzzSegments(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    /// <summary>Cuts <paramref name="bytes"/> at every offset in <paramref name="cuts"/> inside it.</summary>
    public static ReadOnlySequence<byte> Of(byte[] bytes, params ReadOnlySpan<int> cuts)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var bounds = new SortedSet<int> { 0, bytes.Length };
        foreach (var cut in cuts)
        {
            if (cut > 0 && cut < bytes.Length)
            {
                bounds.Add(cut);
            }
        }

        if (bounds.Count <= 2)
        {
            return new ReadOnlySequence<byte>(bytes);
        }

        var offsets = bounds.ToArray();
        var first = new FuzzSegments(bytes.AsMemory(0, offsets[1]), 0);
        var last = first;
        for (var i = 1; i < offsets.Length - 1; i++)
        {
            var next = new FuzzSegments(bytes.AsMemory(offsets[i], offsets[i + 1] - offsets[i]), offsets[i]);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Cut points chosen by the input itself (its last bytes), so afl can steer them and a replay repeats them.</summary>
    public static int[] CutsFor(ReadOnlySpan<byte> input)
    {
        if (input.Length < 4)
        {
            return [];
        }

        return [input[^1] % input.Length, (input[^2] * 7) % input.Length, input.Length / 2];
    }
}
