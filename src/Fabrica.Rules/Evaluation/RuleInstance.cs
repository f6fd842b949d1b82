namespace Fabrica.Rules;

/// <summary>
/// The state of one rule for one device (or, for a rule over fixed series, its only instance): the latest value of
/// each scope tag, the condition's state, and whether it is active. One lock per instance: any number of threads may
/// feed different instances; each instance sees its samples one at a time.
/// </summary>
internal sealed class RuleInstance
{
    private readonly Lock _lock = new();
    private readonly SampleValue[] _values;
    private readonly long[] _timestamps;
    private readonly ConditionState _state;
    private bool _active;
    private bool _retired;
    private long _activeSince;

    public RuleInstance(CompiledRule rule, string? device, long now)
    {
        Rule = rule;
        Device = device;
        _values = new SampleValue[rule.Slots.Length];
        _timestamps = new long[rule.Slots.Length];
        Array.Fill(_timestamps, long.MinValue);
        _state = rule.Condition.CreateState(now);
    }

    public CompiledRule Rule { get; }

    public string? Device { get; }

    public bool IsActive => Volatile.Read(ref _active);

    public long ActiveSince => Volatile.Read(ref _activeSince);

    /// <summary>Samples older than the slot's latest, ignored (late data is stored, not evaluated).</summary>
    public long LateSamples { get; private set; }

    public void OnSample(int slot, in Sample sample, long now, TransitionPublisher publisher)
    {
        if (sample.Quality == Quality.Bad)
            return;
        lock (_lock)
        {
            if (_retired)
                return;
            if (sample.Timestamp < _timestamps[slot])
            {
                LateSamples++;
                return;
            }
            _values[slot] = sample.Value;
            _timestamps[slot] = sample.Timestamp;
            _state.OnSample(new ConditionInput(_values, slot, sample.Timestamp, now));
            if (_state.Active != _active)
                Transition(_state.Active, TransitionReason.Condition, sample.Timestamp, publisher);
        }
    }

    public void OnTick(long now, TransitionPublisher publisher)
    {
        lock (_lock)
        {
            if (_retired)
                return;
            _state.OnTick(now);
            if (_state.Active != _active)
                Transition(_state.Active, TransitionReason.Condition, now, publisher);
        }
    }

    /// <summary>Takes the instance out of service; an active one clears with the given reason.</summary>
    public void Retire(TransitionReason reason, long now, TransitionPublisher publisher)
    {
        lock (_lock)
        {
            if (_retired)
                return;
            _retired = true;
            if (_active)
                Transition(false, reason, now, publisher);
        }
    }

    private void Transition(bool active, TransitionReason reason, long timestamp, TransitionPublisher publisher)
    {
        var since = _activeSince;
        Volatile.Write(ref _active, active);
        if (active)
            Volatile.Write(ref _activeSince, timestamp);
        var values = new List<TriggerValue>(_values.Length);
        for (var i = 0; i < _values.Length; i++)
        {
            if (_timestamps[i] != long.MinValue)
                values.Add(new TriggerValue(Rule.Slots[i], _values[i], _timestamps[i]));
        }
        var definition = Rule.Definition;
        var transition = new RuleTransition(
            definition.Id, definition.Name, Device, active ? TransitionKind.Activated : TransitionKind.Cleared, reason,
            timestamp, definition.Severity, definition.Priority, values, active ? null : since);
        publisher.Publish(this, transition, _values);
    }
}
