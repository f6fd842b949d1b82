using System.Diagnostics;

namespace Fabrica.Fuzz;

/// <summary>What a replay or a mutation run did: inputs executed, and units (frames, chunks, values) accepted.</summary>
public readonly record struct FuzzRunResult(int Executions, long Accepted);

/// <summary>An input that made a target throw something other than its protocol's typed exception.</summary>
public sealed class FuzzFailureException : Exception
{
    public FuzzFailureException()
    {
    }

    public FuzzFailureException(string message)
        : base(message)
    {
    }

    public FuzzFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public byte[] Input { get; init; } = [];
}

/// <summary>Replays saved corpora and runs the seeded in-process mutation loop (the CI-sized fuzz run).</summary>
public static class FuzzCampaign
{
    /// <summary>The repository's <c>fuzz/corpus/&lt;target&gt;</c> folder, found upwards from <paramref name="start"/>.</summary>
    public static string CorpusDirectory(FuzzTarget target, string start)
    {
        ArgumentNullException.ThrowIfNull(target);
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "fuzz", "corpus", target.Name);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"no fuzz/corpus/{target.Name} above {start}");
    }

    /// <summary>Every file of a corpus folder, in name order (afl's queue and crash folders included when present).</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> Load(string directory) =>
        Directory.GetFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith('.') && !f.EndsWith(".md", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => (Path.GetRelativePath(directory, f), File.ReadAllBytes(f)))
            .ToArray();

    public static FuzzRunResult Replay(FuzzTarget target, IReadOnlyList<(string Name, byte[] Bytes)> corpus)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(corpus);
        long accepted = 0;
        foreach (var (name, bytes) in corpus)
        {
            accepted += Execute(target, bytes, $"corpus file {name}");
        }

        return new FuzzRunResult(corpus.Count, accepted);
    }

    /// <summary>
    /// Mutates the corpus with a seeded <see cref="Random"/> until <paramref name="iterations"/> inputs ran or
    /// <paramref name="budget"/> elapsed, whichever comes first. A failure names the seed and iteration to reproduce it.
    /// </summary>
    public static FuzzRunResult Mutate(FuzzTarget target, IReadOnlyList<byte[]> seeds, int seed, int iterations, TimeSpan budget)
    {
        ArgumentNullException.ThrowIfNull(target);
        var mutator = new FuzzMutator(new Random(seed));
        var clock = Stopwatch.StartNew();
        long accepted = 0;
        var i = 0;
        for (; i < iterations && clock.Elapsed < budget; i++)
        {
            accepted += Execute(target, mutator.Next(seeds), $"seed {seed}, iteration {i}");
        }

        return new FuzzRunResult(i, accepted);
    }

    private static int Execute(FuzzTarget target, byte[] input, string where)
    {
        try
        {
            return target.Run(input);
        }
#pragma warning disable CA1031 // Anything a target lets escape is the finding: report it with the input that caused it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var hex = Convert.ToHexString(input.AsSpan(0, Math.Min(input.Length, 512)));
            throw new FuzzFailureException(
                $"fuzz target '{target.Name}' failed on {where} ({input.Length} bytes): {ex.GetType().Name}: {ex.Message}\ninput: {hex}{(input.Length > 512 ? "…" : "")}", ex)
            {
                Input = input,
            };
        }
    }
}
