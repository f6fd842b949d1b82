using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace Fabrica.Rules;

/// <summary>An enabled rule in the engine, with its instances (one per device, or one for a rule over fixed series).</summary>
internal sealed class RuleRuntime
{
    private const string FixedInstance = "";

    public RuleRuntime(CompiledRule rule, long now)
    {
        Rule = rule;
        // A rule over fixed series exists from the start, so that "no data" is detected even if nothing ever arrives.
        if (!rule.PerDevice)
            Instances[FixedInstance] = new RuleInstance(rule, null, now);
    }

    public CompiledRule Rule { get; }

    public ConcurrentDictionary<string, RuleInstance> Instances { get; } = new(StringComparer.Ordinal);

    public RuleInstance InstanceFor(string device, long now) => Rule.PerDevice
        ? Instances.GetOrAdd(device, static (d, state) => new RuleInstance(state.Rule, d, state.now), (Rule, now))
        : Instances[FixedInstance];
}

/// <summary>One rule instance a sample goes to, and the slot it fills there.</summary>
internal readonly record struct RouteBinding(RuleInstance Instance, int Slot);

/// <summary>
/// Everything that reads one tag name: per-device rules, and rules over fixed series by device. The rule instances
/// of a (device, tag) pair are resolved once, on the pair's first sample, then found with one lookup.
/// </summary>
internal sealed class TagRoute
{
    private readonly List<(RuleRuntime Rule, int Slot)> _perDevice = [];
    private readonly Dictionary<string, List<(RuleRuntime Rule, int Slot)>> _fixed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RouteBinding[]> _bindings = new(StringComparer.Ordinal);

    public void Add(RuleRuntime rule, int slot, string? device)
    {
        if (device is null)
        {
            _perDevice.Add((rule, slot));
            return;
        }
        if (!_fixed.TryGetValue(device, out var list))
            _fixed[device] = list = [];
        list.Add((rule, slot));
    }

    public RouteBinding[] For(string device, long now) =>
        _bindings.TryGetValue(device, out var bindings) ? bindings : Bind(device, now);

    private RouteBinding[] Bind(string device, long now)
    {
        var bindings = new List<RouteBinding>(_perDevice.Count);
        foreach (var (rule, slot) in _perDevice)
            bindings.Add(new RouteBinding(rule.InstanceFor(device, now), slot));
        if (_fixed.TryGetValue(device, out var fixedRules))
        {
            foreach (var (rule, slot) in fixedRules)
                bindings.Add(new RouteBinding(rule.InstanceFor(device, now), slot));
        }
        return _bindings.GetOrAdd(device, [.. bindings]);
    }
}

/// <summary>An immutable view of the engine's rules; replaced as a whole, so a sample sees the old or the new set.</summary>
internal sealed class RuleEngineSnapshot
{
    public RuleEngineSnapshot(RuleSet set, IReadOnlyList<RuleRuntime> runtimes)
    {
        Set = set;
        Runtimes = runtimes.ToFrozenDictionary(r => r.Rule.Id, StringComparer.Ordinal);
        Clocked = [.. runtimes.Where(r => r.Rule.Condition.UsesClock)];
        var routes = new Dictionary<string, TagRoute>(StringComparer.Ordinal);
        foreach (var runtime in runtimes)
        {
            var rule = runtime.Rule;
            for (var slot = 0; slot < rule.Slots.Length; slot++)
            {
                if (!routes.TryGetValue(rule.SlotTags[slot], out var route))
                    routes[rule.SlotTags[slot]] = route = new TagRoute();
                route.Add(runtime, slot, rule.SlotDevices[slot]);
            }
        }
        Routes = routes.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public static RuleEngineSnapshot Empty { get; } = new(RuleSet.Empty, []);

    public RuleSet Set { get; }

    public FrozenDictionary<string, RuleRuntime> Runtimes { get; }

    public FrozenDictionary<string, TagRoute> Routes { get; }

    public RuleRuntime[] Clocked { get; }
}
