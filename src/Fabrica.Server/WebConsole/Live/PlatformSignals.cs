using System.Text.Json;
using Fabrica.Platform.Alarms;

namespace Fabrica.Server.WebConsole.Live;

/// <summary>
/// Tells the console's open pages that an alarm changed, so that a raised or acknowledged alarm appears without a
/// reload. It sits behind the platform's event publisher (<see cref="IPlatformEvents"/>), which sees every alarm change
/// on <c>fabrica/alarms/{assetId}</c> with the alarm as it now is. The alarm book publishes before it updates its own
/// open list, so pages take the alarm from the event (<see cref="OpenAlarms"/>) rather than re-reading the book.
/// Handlers only schedule a re-render on their circuit; they must not block.
/// </summary>
public sealed class PlatformSignals
{
    public const string AlarmTopicPrefix = "fabrica/alarms/";

    /// <summary>Raised with the alarm as it is after any change.</summary>
    public event Action<Alarm>? AlarmChanged;

    internal void OnPublished(string topic, ReadOnlySpan<byte> payload)
    {
        if (!topic.StartsWith(AlarmTopicPrefix, StringComparison.Ordinal) || AlarmChanged is not { } handlers)
            return;
        Alarm? alarm;
        try
        {
            alarm = JsonSerializer.Deserialize(payload, AlarmJsonContext.Default.Alarm);
        }
        catch (JsonException)
        {
            return; // not an alarm document: nothing for the console
        }
        if (alarm is not null)
            handlers(alarm);
    }
}

/// <summary>Publishes through the broker as before, then signals the console.</summary>
internal sealed class SignallingPlatformEvents(IPlatformEvents inner, PlatformSignals signals) : IPlatformEvents
{
    public async ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        try
        {
            await inner.PublishAsync(topic, payload, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            signals.OnPublished(topic, payload.Span);
        }
    }
}

/// <summary>
/// A page's view of the open alarms: the alarm book's open list, corrected by the change events the page has seen
/// (newer by <see cref="Alarm.ChangedAt"/> wins; an alarm back to normal leaves). Not thread-safe: used on one
/// circuit's dispatcher.
/// </summary>
public sealed class OpenAlarms
{
    private readonly Dictionary<string, Alarm> _signaled = new(StringComparer.Ordinal);

    public void Apply(Alarm alarm)
    {
        if (!_signaled.TryGetValue(alarm.Id, out var known) || known.ChangedAt <= alarm.ChangedAt)
            _signaled[alarm.Id] = alarm;
    }

    public IEnumerable<Alarm> Merge(IEnumerable<Alarm> bookOpen)
    {
        var current = new Dictionary<string, Alarm>(StringComparer.Ordinal);
        foreach (var alarm in bookOpen)
            current[alarm.Id] = alarm;
        foreach (var (id, signaled) in _signaled)
        {
            if (current.TryGetValue(id, out var booked) && booked.ChangedAt > signaled.ChangedAt)
                continue;
            if (signaled.State == AlarmState.Normal)
                current.Remove(id);
            else
                current[id] = signaled;
        }
        return current.Values;
    }
}
