using Microsoft.Extensions.Logging;
using System.Collections.Frozen;
using System.Text.Json;
using Fabrica.Platform.Models;
using Fabrica.Rules;
using Fabrica.Security;

namespace Fabrica.Platform.Twins;

/// <summary>Rule engines per type and per asset, following the model; rule actions carried out.</summary>
public sealed partial class ProductionLoop
{
    /// <summary>The command a <c>writeTag</c> action sends: <c>{"tag": device tag, "value": value}</c>.</summary>
    public const string WriteTagCommand = "writeTag";

    /// <summary>Rebuilds the engines for a new model. Unchanged rules keep their state; removed targets clear theirs.</summary>
    private void Follow(PlantModel model)
    {
        lock (_engineLock)
        {
            var old = _engines;
            var next = new Dictionary<string, RuleEngine>(StringComparer.Ordinal);
            foreach (var group in model.RuleList.GroupBy(r => r.Target, StringComparer.Ordinal))
            {
                var first = group.First();
                var type = first.AssetType is not null ? model.Types[first.AssetType] : model.TypeOf(model.Assets[first.Asset!])!;
                var known = type.TagList.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
                var set = RuleSet.Compile(group.Select(r => r.Definition), new RuleCompileOptions(known));
                if (!old.TryGetValue(group.Key, out var engine))
                    engine = new RuleEngine(this, _time, _loggers.CreateLogger<RuleEngine>());
                engine.Apply(set);
                next[group.Key] = engine;
            }
            foreach (var (target, engine) in old)
            {
                if (!next.ContainsKey(target))
                    engine.Apply(RuleSet.Empty);
            }
            Volatile.Write(ref _engines, next.ToFrozenDictionary(StringComparer.Ordinal));
            _twins.Follow(model);
        }
        RequestTick(); // wake the worker for the actions of retired rules
    }

    /// <summary>Active rule instances now, across all engines: (rule, asset, since).</summary>
    public IReadOnlyList<ActiveRule> ActiveRules() => [.. Volatile.Read(ref _engines).Values.SelectMany(e => e.ActiveRules())];

    void IRuleActionSink.OnTransition(RuleTransition transition) =>
        LoopLog.Transition(_logger, transition.RuleId, transition.Device, transition.Kind, transition.Reason);

    void IRuleActionSink.Execute(RuleActionRequest request)
    {
        // Called under the rule instance's lock: queue, carry out after the batch.
        if (_actions.Count >= _options.MaxPendingActions)
        {
            LoopLog.ActionDropped(_logger, request.Transition.RuleId, request.Action.GetType().Name, _options.MaxPendingActions);
            return;
        }
        _actions.Enqueue(request);
    }

    private async Task ExecuteActionsAsync(PlantModel model, CancellationToken cancellationToken)
    {
        while (_actions.TryDequeue(out var request))
        {
            try
            {
                await ExecuteAsync(request, model, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LoopLog.ActionFailed(_logger, e, request.Transition.RuleId, request.Action.GetType().Name, request.Transition.Device);
            }
        }
    }

    private async Task ExecuteAsync(RuleActionRequest request, PlantModel model, CancellationToken cancellationToken)
    {
        var transition = request.Transition;
        var assetId = transition.Device!;
        var path = model.Assets.ContainsKey(assetId) ? model.PathOf(assetId) : assetId;
        switch (request.Action)
        {
            case AlarmAction alarm:
                await _alarms.OnRuleAsync(transition, alarm, path, AreaOf(model, assetId), cancellationToken).ConfigureAwait(false);
                break;
            case WriteTagAction write when request.Value is { } value:
                if (value.Kind == ValueKind.Double && !double.IsFinite(value.AsDouble()))
                {
                    // A tag the expression reads had no value yet (or it divided by zero): never write NaN to a machine.
                    LoopLog.WriteNotFinite(_logger, transition.RuleId, path, write.Tag, write.Value);
                    break;
                }
                var (device, tag) = ResolveWrite(model, assetId, write);
                if (device is null)
                {
                    LoopLog.WriteUnbound(_logger, transition.RuleId, path, write.Tag);
                    break;
                }
                var args = JsonSerializer.SerializeToElement(new WriteTagArgs(tag, value), LoopJsonContext.Default.WriteTagArgs);
                await _commands.SendToDeviceAsync(device, WriteTagCommand, args, null, new Caller("rule:" + transition.RuleId, "platform"), cancellationToken).ConfigureAwait(false);
                break;
            case SetTagAction set when request.Value is { } value:
                var sample = new Sample(transition.Timestamp, value);
                if (_twins.GetOrAdd(assetId).TryUpdate(set.Tag, sample, computed: true, 0))
                {
                    await _assetSeries.WriteAsync(new[] { new SeriesSample(new SeriesKey(SeriesPrefix + assetId, set.Tag), sample) }, cancellationToken).ConfigureAwait(false);
                    _queue.Writer.TryWrite(new LoopItem(assetId, set.Tag, sample));
                }
                break;
            case EmitEventAction { Target: EventTarget.Mqtt, Topic: { } topic } emit:
                var message = transition.ToMessage(emit.Name);
                await _events.PublishAsync(topic, JsonSerializer.SerializeToUtf8Bytes(message, RulesJsonContext.Default.RuleTransitionMessage), cancellationToken).ConfigureAwait(false);
                break;
            case EmitEventAction { Target: EventTarget.Webhook } emit:
                if (_options.Webhooks is { } webhooks && Uri.TryCreate(emit.Url, UriKind.Absolute, out var url))
                    webhooks.TryEnqueue(url, JsonSerializer.SerializeToUtf8Bytes(transition.ToMessage(emit.Name), RulesJsonContext.Default.RuleTransitionMessage), transition.RuleId);
                else
                    LoopLog.WebhookNotSupported(_logger, transition.RuleId, emit.Url);
                break;
        }
    }

    /// <summary>A write to an asset tag goes to the device series it is bound to; with an explicit device, to that device's tag.</summary>
    private static (string? Device, string Tag) ResolveWrite(PlantModel model, string assetId, WriteTagAction write)
    {
        if (write.Device is not null && write.Device != assetId)
            return (write.Device, write.Tag);
        return model.Assets.TryGetValue(assetId, out var asset) && asset.BindingMap.TryGetValue(write.Tag, out var binding)
            ? (binding.Device, binding.Tag ?? write.Tag)
            : (null, write.Tag);
    }

    /// <summary>The operator area an asset belongs to, for alarm-rate counting: its area ancestor's path, else its root's.</summary>
    internal static string AreaOf(PlantModel model, string assetId)
    {
        if (!model.Assets.TryGetValue(assetId, out var asset))
            return assetId;
        var current = asset;
        while (current.Level > AssetLevel.Area && current.Parent is { } parent && model.Assets.TryGetValue(parent, out var up))
            current = up;
        return model.PathOf(current.Id);
    }
}

internal sealed record WriteTagArgs(
    string Tag,
    [property: System.Text.Json.Serialization.JsonConverter(typeof(SampleValueJsonConverter))] SampleValue Value);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(WriteTagArgs))]
internal sealed partial class LoopJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
