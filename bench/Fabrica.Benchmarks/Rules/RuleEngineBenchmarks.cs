using BenchmarkDotNet.Attributes;
using Fabrica.Rules;

namespace Fabrica.Benchmarks.Rules;

/// <summary>
/// One sample through <see cref="RuleEngine.Process(string, string, in Sample)"/>: routing by tag and device, the
/// instance lock, the condition, no transition (the common case). Per sample (OperationsPerInvoke = 1,000).
/// Goal: allocation-free and sub-microsecond. "Among10000" adds 9,999 rules on other tags to show that routing
/// does not scan rules.
/// Run: dotnet run -c Release --project bench/Fabrica.Benchmarks -- --filter '*RuleEngineBenchmarks*' --job short --inProcess
/// </summary>
[MemoryDiagnoser]
public class RuleEngineBenchmarks
{
    private const int Samples = 1_000;

    private readonly Sample[] _temperatures = new Sample[Samples];
    private RuleEngine _threshold = null!;
    private RuleEngine _expression = null!;
    private RuleEngine _among10000 = null!;
    private static readonly string[] ExpressionTags = ["voltage", "current", "pf", "temperature", "speed"];

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < Samples; i++)
            _temperatures[i] = new Sample(1_764_489_600_000 + i, 60.0 + i % 10); // below the limit: no transition

        _threshold = Engine([Threshold("hot", "temperature")]);
        _expression = Engine([new RuleDefinition("overload", "Overload", ExpressionTags,
            new ExpressionCondition("voltage * current * 1.732 * pf / 1000 > 50 && temperature > 90 || speed > 3000"), [new AlarmAction()])]);
        _among10000 = Engine([Threshold("hot", "temperature"), .. Enumerable.Range(0, 9_999).Select(i => Threshold($"r{i}", $"tag-{i}"))]);

        // Every tag of the expression rule has a value, so each sample evaluates the whole expression.
        double[] initial = [400, 20, 0.9, 60, 1500];
        for (var i = 0; i < ExpressionTags.Length; i++)
            _expression.Process("press-1", ExpressionTags[i], new Sample(1_764_489_600_000, initial[i]));
    }

    private static RuleDefinition Threshold(string id, string tag) =>
        new(id, id, [tag], new ThresholdCondition(tag, RaiseAbove: 80, ClearBelow: 75), [new AlarmAction()]);

    private static RuleEngine Engine(RuleDefinition[] rules)
    {
        var engine = new RuleEngine(new DiscardingSink());
        engine.Apply(rules);
        return engine;
    }

    [Benchmark(OperationsPerInvoke = Samples)]
    public void ThresholdRule()
    {
        var engine = _threshold;
        foreach (ref readonly var sample in _temperatures.AsSpan())
            engine.Process("press-1", "temperature", sample);
    }

    [Benchmark(OperationsPerInvoke = Samples)]
    public void ThresholdRuleAmong10000()
    {
        var engine = _among10000;
        foreach (ref readonly var sample in _temperatures.AsSpan())
            engine.Process("press-1", "temperature", sample);
    }

    [Benchmark(OperationsPerInvoke = Samples)]
    public void ExpressionRuleOver5Tags()
    {
        var engine = _expression;
        foreach (ref readonly var sample in _temperatures.AsSpan())
            engine.Process("press-1", "temperature", sample);
    }

    [Benchmark(OperationsPerInvoke = Samples)]
    public void UnroutedTag()
    {
        var engine = _threshold;
        foreach (ref readonly var sample in _temperatures.AsSpan())
            engine.Process("press-1", "humidity", sample);
    }

    private sealed class DiscardingSink : IRuleActionSink
    {
        public void OnTransition(RuleTransition transition)
        {
        }

        public void Execute(RuleActionRequest request)
        {
        }
    }
}
