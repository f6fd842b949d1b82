using System.Text.Json;
using Fabrica.Edge.Configuration;
using Fabrica.Edge.Pipeline;
using Fabrica.Rules;
using Microsoft.Extensions.Logging;

namespace Fabrica.Edge.Rules;

/// <summary>
/// Edge rules on the shared engine (<see cref="RuleEngine"/> of Fabrica.Rules — the same evaluator the platform's
/// production loop runs). Readings go straight into the engine on the device loop's thread; what the engine decides
/// comes back through <see cref="IRuleActionSink"/>: <c>writeTag</c> requests are queued per device
/// (<see cref="RuleWriteQueue"/>) and written by the device's adapter, <c>emitEvent</c> transitions are queued for the
/// uplink. A timer ticks the engine so that for-duration and stale conditions fire without a new sample.
/// A pushed rule set replaces the old one through <see cref="RuleEngine.Apply(RuleSet)"/>: atomically, keeping the
/// state of rules that did not change.
/// </summary>
public sealed class EdgeRuleEngine : IEdgeRules, IRuleActionSink
{
    private readonly EdgeRulesContext _context;
    private readonly RuleEngine _engine;
    private readonly RuleWriteQueue _writes;
    private readonly EdgeRuleMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ITimer _ticker;

    /// <exception cref="EdgeConfigException">A rule of <paramref name="rules"/> is invalid.</exception>
    public EdgeRuleEngine(JsonElement rules, EdgeRulesContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _logger = context.LoggerFactory.CreateLogger("Fabrica.Edge.Rules.EdgeRuleEngine");
        _metrics = new EdgeRuleMetrics(context.MeterFactory);
        _writes = new RuleWriteQueue(context, _metrics, _logger);
        _engine = new RuleEngine(this, context.Time, context.LoggerFactory.CreateLogger<RuleEngine>());
        _engine.Apply(EdgeRuleCompiler.Compile(rules, null, context.Options, "$.rules of the configuration file"));
        _ticker = context.Time.CreateTimer(_ => Tick(), null, context.TickInterval, context.TickInterval);
    }

    public string? Version => _engine.Rules.Version;

    /// <summary>The rules in force.</summary>
    public IReadOnlyList<RuleDefinition> Rules => _engine.Rules.Definitions;

    /// <summary>Active rule instances (for tests and status pages).</summary>
    public IReadOnlyList<ActiveRule> ActiveRules() => _engine.ActiveRules();

    public ValueTask OnSampleAsync(string deviceId, string tag, Sample sample, CancellationToken cancellationToken = default)
    {
        _engine.Process(deviceId, tag, sample);
        return ValueTask.CompletedTask;
    }

    public void Replace(JsonElement rules, string? version)
    {
        RuleSet set;
        try
        {
            set = EdgeRuleCompiler.Compile(rules, version, _context.Options, $"configuration version {version ?? "(none)"}");
        }
        catch (EdgeConfigException)
        {
            _metrics.ConfigRejected();
            throw;
        }
        _engine.Apply(set);
        _metrics.ConfigApplied();
        EdgeRulesLog.Applied(_logger, version ?? "(file)", set.Definitions.Count);
    }

    /// <summary>Advances for-duration and stale conditions; the timer calls it, tests may too.</summary>
    public void Tick() => _engine.Tick();

    void IRuleActionSink.OnTransition(RuleTransition transition)
    {
        _metrics.Transition(transition.Kind);
        EdgeRulesLog.Transition(_logger, transition.RuleId, transition.Device ?? "-", transition.Kind.ToString(), transition.Reason.ToString());
    }

    void IRuleActionSink.Execute(RuleActionRequest request)
    {
        switch (request.Action)
        {
            case WriteTagAction write when request.Device is { } device && request.Value is { } value:
                _writes.Enqueue(new RuleWrite(request.Transition.RuleId, device, write.Tag, value));
                break;
            case EmitEventAction { Topic: { } topic } emit:
                var payload = JsonSerializer.SerializeToUtf8Bytes(request.Transition.ToMessage(emit.Name), RulesJsonContext.Default.RuleTransitionMessage);
                if (_context.Events.Publish(topic, payload))
                {
                    _metrics.Event("queued");
                }
                else
                {
                    _metrics.Event("dropped");
                    EdgeRulesLog.EventDropped(_logger, request.Transition.RuleId, topic);
                }
                break;
            default:
                // The edge profile refuses every other action before a rule set is applied.
                EdgeRulesLog.ActionIgnored(_logger, request.Transition.RuleId, request.Action.GetType().Name);
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _ticker.DisposeAsync().ConfigureAwait(false);
        await _writes.DisposeAsync().ConfigureAwait(false);
        _metrics.Dispose();
    }
}

/// <summary>The default rules engine of the runtime.</summary>
public sealed class EdgeRuleEngineFactory : IEdgeRulesFactory
{
    public static EdgeRuleEngineFactory Instance { get; } = new();

    public IEdgeRules Create(JsonElement rules, EdgeRulesContext context) => new EdgeRuleEngine(rules, context);
}
