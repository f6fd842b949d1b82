using BenchmarkDotNet.Attributes;
using Fabrica.Rules;

namespace Fabrica.Benchmarks.Rules;

/// <summary>
/// The decision between the tree interpreter the library uses and a System.Linq.Expressions compile of the same
/// tree (<see cref="LinqExpressionCompiler"/>, kept here only for the measurement): evaluation per call and the
/// one-time cost of preparing a rule (parse, or parse + compile).
/// Run: dotnet run -c Release --project bench/Fabrica.Benchmarks -- --filter '*ExpressionEvaluation*' --job short --inProcess
/// </summary>
[MemoryDiagnoser]
public class ExpressionEvaluationBenchmarks
{
    private const string Text = "voltage * current * 1.732 * pf / 1000 > 50 && temperature > 90 || speed > 3000";

    private readonly SampleValue[] _values = [400.0, 20.0, 0.9, 60.0, 1500.0];
    private RuleExpression _interpreted = null!;
    private Func<SampleValue[], bool> _compiled = null!;

    [GlobalSetup]
    public void Setup()
    {
        _interpreted = RuleExpression.Parse(Text);
        _compiled = LinqExpressionCompiler.CompileCondition(_interpreted);
        if (_interpreted.IsTrue(_values) != _compiled(_values))
            throw new InvalidOperationException("The two evaluators disagree.");
    }

    [Benchmark(Baseline = true)]
    public bool Interpreted() => _interpreted.IsTrue(_values);

    [Benchmark]
    public bool LinqCompiled() => _compiled(_values);

    [Benchmark]
    public RuleExpression Parse() => RuleExpression.Parse(Text);

    [Benchmark]
    public Func<SampleValue[], bool> ParseAndLinqCompile() => LinqExpressionCompiler.CompileCondition(RuleExpression.Parse(Text));
}
