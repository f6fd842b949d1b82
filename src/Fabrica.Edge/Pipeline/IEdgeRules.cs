using System.Text.Json;

namespace Fabrica.Edge.Pipeline;

/// <summary>
/// The equipment loop at the edge: the runtime hands every conditioned reading (after scaling, before the deadband)
/// to the rules, which may write to device tags through <see cref="IEdgeActions"/>. Implemented by the shared rules
/// library (Fabrica.Rules) once it lands; until then the runtime runs <see cref="NoEdgeRules"/>.
/// Called from the device loops, possibly concurrently for different devices.
/// </summary>
public interface IEdgeRules
{
    ValueTask OnSampleAsync(string deviceId, string tag, Sample sample, IEdgeActions actions, CancellationToken cancellationToken = default);
}

/// <summary>Builds the rules engine from the <c>rules</c> array of the configuration (or a pushed update).</summary>
public interface IEdgeRulesFactory
{
    IEdgeRules Create(JsonElement rules);
}

/// <summary>What a rule may do.</summary>
public interface IEdgeActions
{
    /// <summary>Writes a raw value to a configured tag of a configured device.</summary>
    ValueTask WriteTagAsync(string deviceId, string tag, SampleValue value, CancellationToken cancellationToken = default);
}

/// <summary>No rules: every reading passes through untouched.</summary>
public sealed class NoEdgeRules : IEdgeRules
{
    public static readonly NoEdgeRules Instance = new();

    public ValueTask OnSampleAsync(string deviceId, string tag, Sample sample, IEdgeActions actions, CancellationToken cancellationToken = default) =>
        ValueTask.CompletedTask;
}
