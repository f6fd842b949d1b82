using Microsoft.Extensions.Time.Testing;

namespace Fabrica.Rules.Tests;

/// <summary>Records what the engine hands to the host.</summary>
internal sealed class RecordingSink : IRuleActionSink
{
    private readonly Lock _lock = new();

    public List<RuleTransition> Transitions { get; } = [];

    public List<RuleActionRequest> Actions { get; } = [];

    public void OnTransition(RuleTransition transition)
    {
        lock (_lock)
            Transitions.Add(transition);
    }

    public void Execute(RuleActionRequest request)
    {
        lock (_lock)
            Actions.Add(request);
    }
}

/// <summary>An engine on a fake clock; times are seconds from the start of the test.</summary>
internal sealed class RuleHarness
{
    public static readonly DateTimeOffset Start = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    public RuleHarness(params RuleDefinition[] rules)
    {
        Engine = new RuleEngine(Sink, Time);
        Engine.Apply(rules);
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public RecordingSink Sink { get; } = new();

    public RuleEngine Engine { get; }

    public static long Ms(double seconds) => Start.ToUnixTimeMilliseconds() + (long)Math.Round(seconds * 1000);

    /// <summary>Moves the clock to <paramref name="seconds"/> and sends a sample stamped then.</summary>
    public void Send(double seconds, string tag, SampleValue value, string device = "press-1", Quality quality = Quality.Good)
    {
        SetClock(seconds);
        Engine.Process(device, tag, new Sample(Ms(seconds), value, quality));
    }

    public void TickAt(double seconds)
    {
        SetClock(seconds);
        Engine.Tick();
    }

    /// <summary>The transitions so far, e.g. <c>"+10 -30"</c>: activated at 10 s, cleared at 30 s.</summary>
    public string History => string.Join(' ', Sink.Transitions.Select(t =>
        (t.Kind == TransitionKind.Activated ? "+" : "-") + ((t.Timestamp - Ms(0)) / 1000.0).ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private void SetClock(double seconds)
    {
        var target = Start.AddMilliseconds(Math.Round(seconds * 1000));
        if (target > Time.GetUtcNow())
            Time.SetUtcNow(target);
    }

    public static RuleDefinition Rule(string id, RuleCondition condition, IReadOnlyList<string>? scope = null, params RuleAction[] actions) =>
        new(id, id.Replace('-', ' '), scope ?? ["temperature"], condition, actions);
}
