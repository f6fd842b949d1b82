using System.Globalization;
using Fabrica.Fuzz;
using Xunit.Abstractions;

namespace Fabrica.Protocols.Tests.Fuzzing;

/// <summary>
/// The CI part of fuzzing (docs/fuzzing.md): every input saved under <c>fuzz/corpus/&lt;target&gt;</c> — seeds and
/// whatever afl++ found — is replayed through the very target code afl runs, then a seeded in-process mutation loop
/// runs for a bounded number of inputs and at most <see cref="Budget"/> per decoder. A failure names the corpus file,
/// or the seed and iteration that reproduce it (<c>fabrica-fuzz &lt;target&gt; --mutate &lt;seed&gt;</c>).
/// Set FABRICA_FUZZ_SEED to run the loop with another seed.
/// </summary>
public sealed class FuzzTargetTests(ITestOutputHelper output)
{
    private const int Iterations = 40_000;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);

    public static TheoryData<string> Targets() => new(FuzzTarget.All.Select(t => t.Name));

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_saved_corpus_input_replays_without_a_failure(string name)
    {
        var target = FuzzTarget.Find(name)!;
        var corpus = FuzzCampaign.Load(CorpusDirectory(target));
        Assert.True(corpus.Count >= 8, $"fuzz/corpus/{name} holds only {corpus.Count} inputs");

        var result = FuzzCampaign.Replay(target, corpus);

        output.WriteLine($"{name}: {result.Executions} corpus inputs, {result.Accepted} units accepted");
        Assert.True(result.Accepted > 0, "no corpus input was accepted: the seeds no longer match the decoder");
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void A_seeded_mutation_loop_over_the_corpus_finds_no_failure(string name)
    {
        var target = FuzzTarget.Find(name)!;
        var seeds = FuzzCampaign.Load(CorpusDirectory(target)).Select(c => c.Bytes).ToArray();
        var seed = Environment.GetEnvironmentVariable("FABRICA_FUZZ_SEED") is { Length: > 0 } text
            ? int.Parse(text, CultureInfo.InvariantCulture)
            : 20261130;

        var result = FuzzCampaign.Mutate(target, seeds, seed, Iterations, Budget);

        output.WriteLine($"{name}: seed {seed}, {result.Executions} mutated inputs, {result.Accepted} units accepted");
        Assert.True(result.Accepted > 0, $"seed {seed}: no mutant was accepted, so nothing past the first checks was exercised");
    }

    [Fact]
    public void A_failure_names_the_seed_and_iteration_that_reproduce_it()
    {
        var calls = 0;
        var target = new FuzzTarget("throws-on-the-tenth-input", input => ++calls == 10 ? throw new IndexOutOfRangeException() : input.Length, "test");

        var error = Assert.Throws<FuzzFailureException>(() => FuzzCampaign.Mutate(target, [[1, 2, 3]], seed: 77, iterations: 100, TimeSpan.FromMinutes(1)));

        Assert.Contains("seed 77, iteration 9", error.Message, StringComparison.Ordinal);
        Assert.IsType<IndexOutOfRangeException>(error.InnerException);
    }

    [Fact]
    public void The_same_seed_mutates_the_same_inputs()
    {
        var seeds = FuzzCampaign.Load(CorpusDirectory(FuzzTarget.Find("modbus")!)).Select(c => c.Bytes).ToArray();
        var first = new FuzzMutator(new Random(5));
        var second = new FuzzMutator(new Random(5));

        for (var i = 0; i < 200; i++)
        {
            Assert.Equal(first.Next(seeds), second.Next(seeds));
        }
    }

    internal static string CorpusDirectory(FuzzTarget target) => FuzzCampaign.CorpusDirectory(target, AppContext.BaseDirectory);
}
