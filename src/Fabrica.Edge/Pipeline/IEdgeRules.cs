using System.Diagnostics.Metrics;
using System.Text.Json;
using Fabrica.Edge.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabrica.Edge.Pipeline;

/// <summary>
/// The equipment loop at the edge: the runtime hands every conditioned reading (after scaling, before the deadband)
/// to the rules, which may write to device tags through <see cref="IEdgeActions"/> and emit events through
/// <see cref="IEdgeEvents"/>. The runtime's default is <c>Fabrica.Edge.Rules.EdgeRuleEngine</c>, built on the shared
/// engine of Fabrica.Rules. Called from the device loops, possibly concurrently for different devices.
/// </summary>
public interface IEdgeRules : IAsyncDisposable
{
    /// <summary>The version of the rule set in force: null for the configuration file's rules, else the pushed config's.</summary>
    string? Version { get; }

    ValueTask OnSampleAsync(string deviceId, string tag, Sample sample, CancellationToken cancellationToken = default);

    /// <summary>
    /// Validates <paramref name="rules"/> (a JSON array of rules) against the edge's devices and tags and, if every rule
    /// is valid, makes it the rule set in force atomically: a sample is evaluated by the old or the new set, never a
    /// mix, and unchanged rules keep their state. Throws <see cref="EdgeConfigException"/> naming each rule and problem;
    /// the old rules then keep running.
    /// </summary>
    void Replace(JsonElement rules, string? version);
}

/// <summary>Builds the rules engine from the <c>rules</c> array of the configuration file.</summary>
public interface IEdgeRulesFactory
{
    /// <exception cref="EdgeConfigException">A rule is invalid.</exception>
    IEdgeRules Create(JsonElement rules, EdgeRulesContext context);
}

/// <summary>What the rules engine gets from the runtime.</summary>
public sealed record EdgeRulesContext(EdgeOptions Options, IEdgeActions Actions, IEdgeEvents Events)
{
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    public IMeterFactory? MeterFactory { get; init; }

    /// <summary>How often time-driven conditions (for-duration, stale) are re-evaluated without a new sample.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(50);
}

/// <summary>What a rule may do to devices.</summary>
public interface IEdgeActions
{
    /// <summary>Writes a raw value to a configured tag of a configured device.</summary>
    ValueTask WriteTagAsync(string deviceId, string tag, SampleValue value, CancellationToken cancellationToken = default);
}

/// <summary>Where rule events go: the uplink publishes them to the platform (QoS 1) when it is connected.</summary>
public interface IEdgeEvents
{
    /// <summary>Queues an event; never blocks. False when it was dropped (queue full); the caller counts it.</summary>
    bool Publish(string topic, ReadOnlyMemory<byte> payload);
}

/// <summary>No rules (before the runtime starts): every reading passes through untouched, and nothing can be pushed.</summary>
public sealed class NoEdgeRules : IEdgeRules
{
    public static readonly NoEdgeRules Instance = new();

    public string? Version => null;

    public ValueTask OnSampleAsync(string deviceId, string tag, Sample sample, CancellationToken cancellationToken = default) =>
        ValueTask.CompletedTask;

    public void Replace(JsonElement rules, string? version) =>
        throw new EdgeConfigException("no rules engine is installed in this edge; the rules cannot be applied");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
