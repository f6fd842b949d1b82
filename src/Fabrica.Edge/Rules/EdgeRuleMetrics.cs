using System.Diagnostics.Metrics;
using Fabrica.Rules;

namespace Fabrica.Edge.Rules;

/// <summary>
/// Meter <c>Fabrica.Edge.Rules</c>: what the edge rules decided and did.
/// <list type="table">
/// <item><c>fabrica.edge.rules.transitions</c>, tag <c>kind</c> = <c>activated</c> | <c>cleared</c></item>
/// <item><c>fabrica.edge.rules.writes</c>, tag <c>outcome</c> = <c>sent</c> | <c>failed</c> | <c>dropped</c> — device writes</item>
/// <item><c>fabrica.edge.rules.events</c>, tag <c>outcome</c> = <c>queued</c> | <c>dropped</c> — events for the platform</item>
/// <item><c>fabrica.edge.config.pushes</c>, tag <c>outcome</c> = <c>applied</c> | <c>rejected</c> — rule sets pushed by the platform</item>
/// </list>
/// </summary>
internal sealed class EdgeRuleMetrics : IDisposable
{
    public const string MeterName = "Fabrica.Edge.Rules";

    private readonly Meter _meter;
    private readonly Counter<long> _transitions;
    private readonly Counter<long> _writes;
    private readonly Counter<long> _events;
    private readonly Counter<long> _pushes;

    public EdgeRuleMetrics(IMeterFactory? meterFactory)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _transitions = _meter.CreateCounter<long>("fabrica.edge.rules.transitions", "{transition}", "Edge rules that became active or cleared");
        _writes = _meter.CreateCounter<long>("fabrica.edge.rules.writes", "{write}", "Device writes decided by edge rules, by outcome");
        _events = _meter.CreateCounter<long>("fabrica.edge.rules.events", "{event}", "Events emitted by edge rules, by outcome");
        _pushes = _meter.CreateCounter<long>("fabrica.edge.config.pushes", "{config}", "Rule sets pushed by the platform, applied or rejected");
    }

    public void Transition(TransitionKind kind) =>
        _transitions.Add(1, new KeyValuePair<string, object?>("kind", kind == TransitionKind.Activated ? "activated" : "cleared"));

    public void Write(string outcome) => _writes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Event(string outcome) => _events.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void ConfigApplied() => _pushes.Add(1, new KeyValuePair<string, object?>("outcome", "applied"));

    public void ConfigRejected() => _pushes.Add(1, new KeyValuePair<string, object?>("outcome", "rejected"));

    public void Dispose() => _meter.Dispose();
}
