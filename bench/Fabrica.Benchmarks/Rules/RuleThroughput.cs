using System.Diagnostics;
using System.Globalization;
using Fabrica.Rules;

namespace Fabrica.Benchmarks.Rules;

/// <summary>
/// The platform's rule throughput target (issue 7, "What it must show"): ≥ 100,000 samples/s over 1,000 series with
/// 10,000 rules, each sample evaluated by about 10 rules, in a mix of 50 % thresholds, 20 % for-duration, 15 % rate of
/// change, 10 % expressions and 5 % statistical; p99 evaluation latency &lt; 5 ms. A throughput and latency run rather
/// than a BenchmarkDotNet case, because the figure asked for is a percentile over millions of samples.
/// One thread feeds one <see cref="RuleEngine"/>, as the platform's production loop does. Rules read fixed series
/// (<c>dev-7/t3</c>), rule i mainly series i mod 1,000, so every series is read by 10 rules, and by one more for each
/// expression that names it as its second tag (≈ 11 evaluations per sample). Values are random walks that cross the
/// limits now and then, so transitions happen and reach a sink that counts them. Two runs: as fast as possible
/// (throughput, and the time of each <c>Process</c> call), then paced at 100,000 samples/s (the delay from each
/// sample's due time to the end of its evaluation, so that any falling behind shows as queueing).
/// Run: <c>dotnet run -c Release --project bench/Fabrica.Benchmarks -- --rule-throughput [samples]</c>
/// </summary>
public static class RuleThroughput
{
    private const int Devices = 100;
    private const int TagsPerDevice = 10;
    private const int Series = Devices * TagsPerDevice;
    private const int Rules = 10_000;
    private const int TargetRate = 100_000;
    private const long SamplePeriodMs = 10; // every series reports every 10 ms of device time: 100,000 samples/s

    public static void Run(TextWriter output, int samples = 5_000_000)
    {
        var devices = Enumerable.Range(0, Devices).Select(d => $"dev-{d}").ToArray();
        var tags = Enumerable.Range(0, TagsPerDevice).Select(t => $"t{t}").ToArray();
        var sink = new CountingSink();
        var engine = new RuleEngine(sink);
        var started = Stopwatch.GetTimestamp();
        var rules = Enumerable.Range(0, Rules).Select(i => Rule(i, devices, tags)).ToList();
        engine.Apply(rules);
        var compile = Stopwatch.GetElapsedTime(started);
        var evaluationsPerSample = rules.Sum(r => r.Scope.Count) / (double)Series;

        // The random walks: 1,024 steps per series, replayed.
        var random = new Random(7);
        var walk = new double[Series * 1024];
        for (var s = 0; s < Series; s++)
        {
            var value = 50.0;
            for (var k = 0; k < 1024; k++)
                walk[s * 1024 + k] = value = Math.Clamp(value + (random.NextDouble() - 0.5) * 6, 0, 100);
        }

        var t0 = 1_764_489_600_000L;
        Feed(engine, devices, tags, walk, t0, 0, samples / 5, null, null); // warm-up: JIT, instances, windows
        var latencies = new long[samples];
        sink.Transitions = 0;
        var begin = Stopwatch.GetTimestamp();
        Feed(engine, devices, tags, walk, t0, samples / 5, samples / 5 + samples, latencies, null);
        var elapsed = Stopwatch.GetElapsedTime(begin);
        // Paced at the target rate: the delay from each sample's due time to the end of its evaluation, queueing included.
        var paced = new long[Math.Min(samples, 20 * TargetRate)];
        Feed(engine, devices, tags, walk, t0, samples / 5 + samples, samples / 5 + samples + paced.Length, paced, TargetRate);

        Array.Sort(latencies);
        Array.Sort(paced);
        var rate = samples / elapsed.TotalSeconds;
        string Us(long ticks) => (ticks * 1_000_000.0 / Stopwatch.Frequency).ToString("0.0", CultureInfo.InvariantCulture) + " µs";
        output.WriteLine($"rules: {Rules:N0} (5,000 threshold, 2,000 for-duration, 1,500 rate of change, 1,000 expression, 500 statistical) over {Series:N0} series; compiled and applied in {compile.TotalMilliseconds:N0} ms");
        output.WriteLine($"samples: {samples:N0} in {elapsed.TotalSeconds:N2} s = {rate:N0} samples/s, {rate * evaluationsPerSample:N0} rule evaluations/s ({evaluationsPerSample:N2} rules per sample); {sink.Transitions:N0} transitions");
        output.WriteLine($"latency per sample (Process call): p50 {Us(Percentile(latencies, 0.50))}, p99 {Us(Percentile(latencies, 0.99))}, p99.9 {Us(Percentile(latencies, 0.999))}, max {Us(latencies[^1])}");
        output.WriteLine($"paced at {TargetRate:N0} samples/s for {paced.Length:N0} samples, due time → evaluated: p50 {Us(Percentile(paced, 0.50))}, p99 {Us(Percentile(paced, 0.99))}, p99.9 {Us(Percentile(paced, 0.999))}, max {Us(paced[^1])}");
    }

    /// <param name="pace">Samples per second to feed at (each waits for its due time), or null for as fast as possible.</param>
    private static void Feed(RuleEngine engine, string[] devices, string[] tags, double[] walk, long t0, int from, int to, long[]? latencies, int? pace)
    {
        var start = Stopwatch.GetTimestamp();
        var ticksPerSample = pace is { } r ? (double)Stopwatch.Frequency / r : 0;
        for (var n = from; n < to; n++)
        {
            var series = n % Series;
            var step = n / Series;
            var sample = new Sample(t0 + step * SamplePeriodMs, walk[series * 1024 + step % 1024]);
            if (latencies is null)
            {
                engine.Process(devices[series / TagsPerDevice], tags[series % TagsPerDevice], sample);
                continue;
            }
            var before = Stopwatch.GetTimestamp();
            if (pace is not null)
            {
                var due = start + (long)((n - from) * ticksPerSample);
                while (before < due)
                    before = Stopwatch.GetTimestamp();
                before = due;
            }
            engine.Process(devices[series / TagsPerDevice], tags[series % TagsPerDevice], sample);
            latencies[n - from] = Stopwatch.GetTimestamp() - before;
        }
    }

    private static RuleDefinition Rule(int i, string[] devices, string[] tags)
    {
        var series = i % Series;
        var tag = $"{devices[series / TagsPerDevice]}/{tags[series % TagsPerDevice]}";
        var limit = 80 + i % 15;
        RuleAction[] alarm = [new AlarmAction()];
        return (i % 100) switch
        {
            < 50 => new($"th-{i}", "threshold", [tag], new ThresholdCondition(tag, RaiseAbove: limit, ClearBelow: limit - 5), alarm),
            < 70 => new($"for-{i}", "for", [tag], new ForDurationCondition(TimeSpan.FromSeconds(2), new ThresholdCondition(tag, RaiseAbove: limit, ClearBelow: limit - 5)), alarm),
            < 85 => new($"roc-{i}", "rate", [tag], new RateOfChangeCondition(tag, TimeSpan.FromSeconds(1), RaiseAbove: 150, ClearBelow: 100), alarm),
            < 95 => Expression(i, tag, devices, tags, limit),
            _ => new($"stat-{i}", "statistical", [tag], new StatisticalCondition(tag, 3, Samples: 100, MinSamples: 20), alarm),
        };
    }

    private static RuleDefinition Expression(int i, string tag, string[] devices, string[] tags, int limit)
    {
        var other = (i * 7 + 13) % Series;
        var second = $"{devices[other / TagsPerDevice]}/{tags[other % TagsPerDevice]}";
        if (second == tag)
            second = $"{devices[(other / TagsPerDevice + 1) % Devices]}/{tags[other % TagsPerDevice]}";
        return new($"expr-{i}", "expression", [tag, second],
            new ExpressionCondition($"[{tag}] > {limit} && [{second}] * 1.5 - 20 < {limit}"), [new AlarmAction()]);
    }

    private static long Percentile(long[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private sealed class CountingSink : IRuleActionSink
    {
        public long Transitions;

        public void OnTransition(RuleTransition transition) => Transitions++;

        public void Execute(RuleActionRequest request)
        {
        }
    }
}
