using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabrica.Rules;

/// <summary>
/// Evaluates compiled rules against incoming samples (docs/rules.md, "Engine"). A sample goes only to the rules whose
/// scope names its tag (one lookup by tag, one by device); each rule instance updates its state and, on a change,
/// reports a transition and its actions to the <see cref="IRuleActionSink"/>. Time-driven conditions (stale,
/// for-duration) advance on <see cref="Tick"/>, which the host calls periodically (e.g. every 100 ms at the edge).
/// <para>
/// Thread safety: <see cref="Process(string, string, in Sample)"/> and <see cref="Tick"/> may be called from any
/// number of threads; each rule instance evaluates one sample at a time. <see cref="Apply(RuleSet)"/>, <see cref="Enable"/> and
/// <see cref="Disable"/> swap the whole rule set atomically, keeping the state of rules that did not change.
/// </para>
/// </summary>
public sealed class RuleEngine
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TransitionPublisher _publisher;
    private readonly Lock _writeLock = new();
    private RuleEngineSnapshot _snapshot = RuleEngineSnapshot.Empty;

    public RuleEngine(IRuleActionSink sink, TimeProvider? time = null, ILogger<RuleEngine>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _publisher = new TransitionPublisher(sink, _logger);
    }

    /// <summary>The rule set in force (including disabled rules).</summary>
    public RuleSet Rules => Volatile.Read(ref _snapshot).Set;

    /// <summary>Exceptions thrown by the sink, caught and logged.</summary>
    public long SinkFailures => _publisher.SinkFailures;

    /// <summary>Evaluates one sample (UTC Unix ms timestamp) of <paramref name="tag"/> from <paramref name="device"/>.</summary>
    public void Process(string device, string tag, in Sample sample)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        if (!snapshot.Routes.TryGetValue(tag, out var route))
            return;
        var now = UnixTime.Now(_time);
        foreach (var binding in route.For(device, now))
            binding.Instance.OnSample(binding.Slot, sample, now, _publisher);
    }

    public void Process(in SeriesSample sample) => Process(sample.Series.Device, sample.Series.Tag, sample.Sample);

    public void Process(ReadOnlySpan<SeriesSample> samples)
    {
        foreach (ref readonly var sample in samples)
            Process(sample.Series.Device, sample.Series.Tag, sample.Sample);
    }

    /// <summary>Advances time-driven conditions to the clock's current time.</summary>
    public void Tick()
    {
        var snapshot = Volatile.Read(ref _snapshot);
        var now = UnixTime.Now(_time);
        foreach (var runtime in snapshot.Clocked)
        {
            foreach (var instance in runtime.Instances.Values)
                instance.OnTick(now, _publisher);
        }
    }

    /// <summary>
    /// Makes <paramref name="rules"/> the engine's rule set, atomically. Rules whose definition is unchanged keep
    /// their state (an active alarm stays active); changed, removed or disabled rules clear their active instances
    /// (reason <see cref="TransitionReason.Replaced"/>, <see cref="TransitionReason.Removed"/> or
    /// <see cref="TransitionReason.Disabled"/>) and changed ones start afresh.
    /// </summary>
    public void Apply(RuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        lock (_writeLock)
        {
            var now = UnixTime.Now(_time);
            var old = _snapshot;
            var runtimes = new List<RuleRuntime>();
            var kept = 0;
            foreach (var rule in rules.Compiled)
            {
                if (!rule.Definition.Enabled)
                    continue;
                if (old.Runtimes.TryGetValue(rule.Id, out var existing) && existing.Rule.Fingerprint == rule.Fingerprint)
                {
                    runtimes.Add(existing);
                    kept++;
                }
                else
                {
                    runtimes.Add(new RuleRuntime(rule, now));
                }
            }
            var next = new RuleEngineSnapshot(rules, runtimes);
            Volatile.Write(ref _snapshot, next);

            var retired = 0;
            foreach (var (id, runtime) in old.Runtimes)
            {
                if (next.Runtimes.TryGetValue(id, out var same) && ReferenceEquals(same, runtime))
                    continue;
                var reason = rules.Find(id) switch
                {
                    null => TransitionReason.Removed,
                    { Enabled: false } => TransitionReason.Disabled,
                    _ => TransitionReason.Replaced,
                };
                foreach (var instance in runtime.Instances.Values)
                    instance.Retire(reason, now, _publisher);
                retired++;
            }
            RuleEngineLog.Applied(_logger, rules.Version, runtimes.Count, kept, retired);
        }
    }

    /// <summary>Compiles and applies rule definitions.</summary>
    /// <exception cref="RuleValidationException">The set is invalid; the engine keeps its current rules.</exception>
    public void Apply(IEnumerable<RuleDefinition> rules, RuleCompileOptions? options = null) => Apply(RuleSet.Compile(rules, options));

    /// <summary>Enables a rule; false if the set has no rule with that id.</summary>
    public bool Enable(string ruleId) => SetEnabled(ruleId, true);

    /// <summary>Disables a rule, clearing its active instances; false if the set has no rule with that id.</summary>
    public bool Disable(string ruleId) => SetEnabled(ruleId, false);

    private bool SetEnabled(string ruleId, bool enabled)
    {
        lock (_writeLock)
        {
            var set = _snapshot.Set;
            if (set.Find(ruleId) is null)
                return false;
            Apply(set.WithEnabled(ruleId, enabled));
            return true;
        }
    }

    /// <summary>Active rule instances now, for status pages and for re-synchronising alarms after a restart of the host.</summary>
    public IReadOnlyList<ActiveRule> ActiveRules()
    {
        var active = new List<ActiveRule>();
        foreach (var runtime in Volatile.Read(ref _snapshot).Runtimes.Values)
        {
            foreach (var instance in runtime.Instances.Values)
            {
                if (instance.IsActive)
                    active.Add(new ActiveRule(runtime.Rule.Id, instance.Device, instance.ActiveSince));
            }
        }
        return active;
    }
}

/// <summary>A rule instance that is active, since when (UTC Unix ms).</summary>
public readonly record struct ActiveRule(string RuleId, string? Device, long ActiveSince);
