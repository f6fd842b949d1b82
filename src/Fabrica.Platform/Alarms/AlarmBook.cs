using System.Security.Cryptography;
using System.Text.Json;
using Fabrica.Platform.Models.Storage;
using Fabrica.Platform.Twins;
using Fabrica.Rules;
using Fabrica.Security;
using Fabrica.Security.Audit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabrica.Platform.Alarms;

/// <summary>
/// Every alarm's lifecycle (ISA-18.2, <see cref="AlarmStateMachine"/>): rules raise and clear, operators acknowledge,
/// shelve and unshelve. Each change is stored with a history entry before it is visible, pushed on
/// <c>fabrica/alarms/{assetId}</c>, and — when a person made it — audited. Open alarms are also kept in memory for
/// twins and rule transitions. Changes are serialised; thread-safe.
/// </summary>
public sealed partial class AlarmBook
{
    private readonly ModelStore _store;
    private readonly IAuditLog _audit;
    private readonly IPlatformEvents _events;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<(string Rule, string Asset), Alarm> _openByRule = [];
    private readonly Dictionary<string, Alarm> _open = new(StringComparer.Ordinal);
    private volatile Alarm[] _openSnapshot = [];

    public AlarmBook(ModelStore store, IAuditLog audit, IPlatformEvents? events = null, TimeProvider? time = null, ILogger<AlarmBook>? logger = null, AlarmMetrics? metrics = null)
    {
        _store = store;
        _audit = audit;
        _events = events ?? NoPlatformEvents.Instance;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Metrics = metrics ?? new AlarmMetrics(null, _time);
    }

    /// <summary>Shelving longer than this is refused (ISA-18.2 §16: shelving is time-limited).</summary>
    public static readonly TimeSpan MaxShelveDuration = TimeSpan.FromDays(1);

    /// <summary>Alarms that are closed stay listed (state <c>normal</c>) this long.</summary>
    public static readonly TimeSpan RecentlyClosed = TimeSpan.FromHours(24);

    public AlarmMetrics Metrics { get; }

    /// <summary>Every stored change of an alarm, in order; handlers must not block (they run under the book's lock).</summary>
    public event Action<Alarm>? Changed;

    /// <summary>
    /// Loads open alarms. Rules start afresh after a restart, so an alarm that was active cannot be cleared by the
    /// rule that raised it: it is returned to normal (unacknowledged if it was) with a <c>reset</c> history entry, and
    /// the rule raises it again if its condition still holds.
    /// </summary>
    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await LoadPointsAsync(cancellationToken).ConfigureAwait(false);
            foreach (var alarm in await _store.LoadOpenAlarmsAsync(cancellationToken).ConfigureAwait(false))
            {
                var current = alarm;
                if (alarm.IsActive)
                    current = await ChangeAsync(alarm, Clear(alarm, Now()), "reset", "system", "the platform restarted; the rule re-raises the alarm if its condition holds", cancellationToken).ConfigureAwait(false);
                Track(current);
            }
            Publish();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Open alarms of an asset (for its twin), from memory.</summary>
    public IReadOnlyList<Alarm> OpenFor(string assetId) => [.. _openSnapshot.Where(a => a.AssetId == assetId)];

    public IReadOnlyList<Alarm> Open => _openSnapshot;

    /// <summary>A rule with an alarm action activated or cleared on an asset.</summary>
    public async Task OnRuleAsync(RuleTransition transition, AlarmAction action, string assetPath, string area, CancellationToken cancellationToken = default)
    {
        var assetId = transition.Device ?? throw new ArgumentException("A model rule's transition names its asset.", nameof(transition));
        var actor = "rule:" + transition.RuleId;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = Now();
            _openByRule.TryGetValue((transition.RuleId, assetId), out var open);
            var mode = ModeOf(transition.RuleId, assetId);
            if (mode == AlarmSuppression.OutOfService)
                return; // ISA-18.2 state H: the point is removed from service, its rule raises nothing
            var suppressed = mode == AlarmSuppression.Suppressed ? AlarmSuppression.Suppressed : (AlarmSuppression?)null;
            if (transition.Kind == TransitionKind.Activated)
            {
                var values = transition.Values.ToDictionary(v => v.Tag, v => new TagReading(v.Value, v.Timestamp), StringComparer.Ordinal);
                if (open is null)
                {
                    var alarm = new Alarm(NewId(), transition.RuleId, assetId, assetPath, action.Message ?? transition.RuleName, AlarmState.ActiveUnacknowledged,
                        action.Priority ?? transition.Priority, action.Severity ?? transition.Severity, transition.Timestamp, now, Values: values, Suppression: suppressed);
                    Track(await SaveAsync(alarm, isNew: true, "raised", actor, null, now, cancellationToken).ConfigureAwait(false));
                    if (suppressed is null && Metrics.Raised(area, alarm.Priority))
                        AlarmLog.Flood(_logger, area, Metrics.RateOf(area));
                    AlarmLog.Raised(_logger, alarm.Id, alarm.RuleId, assetPath, alarm.Priority);
                }
                else if (!open.IsActive)
                {
                    var again = open with { State = AlarmStateMachine.Raise(open.State), ChangedAt = now, Occurrences = open.Occurrences + 1, ClearedAt = null, Values = values };
                    Track(await ChangeAsync(open, again, "reraised", actor, null, cancellationToken).ConfigureAwait(false));
                    if (again.Suppression is null && Metrics.Raised(area, again.Priority))
                        AlarmLog.Flood(_logger, area, Metrics.RateOf(area));
                }
            }
            else if (open is { IsActive: true })
            {
                var comment = transition.Reason == TransitionReason.Condition ? null : $"rule {transition.Reason.ToString().ToLowerInvariant()}";
                Track(await ChangeAsync(open, Clear(open, transition.Timestamp), "cleared", actor, comment, cancellationToken).ConfigureAwait(false));
            }
            Publish();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Acknowledges an open, unacknowledged alarm; <paramref name="user"/> is the acting token's name.</summary>
    public Task<AlarmChange> AcknowledgeAsync(string id, string user, string? comment, Caller caller, CancellationToken cancellationToken = default) =>
        OperateAsync(id, "acknowledged", "alarm.acknowledge", comment, caller, cancellationToken, (alarm, now) =>
            AlarmStateMachine.TryAcknowledge(alarm.State, out var next)
                ? alarm with { State = next, AcknowledgedAt = now, AcknowledgedBy = user, AcknowledgeComment = comment, ChangedAt = now }
                : throw new AlarmOperationException($"Alarm '{id}' is {StateName(alarm.State)}: there is nothing to acknowledge."));

    /// <summary>Shelves an open alarm until <paramref name="until"/> (UTC Unix ms), at most <see cref="MaxShelveDuration"/> ahead.</summary>
    public Task<AlarmChange> ShelveAsync(string id, long until, string user, string? comment, Caller caller, CancellationToken cancellationToken = default) =>
        OperateAsync(id, "shelved", "alarm.shelve", comment, caller, cancellationToken, (alarm, now) =>
            until <= now ? throw new AlarmOperationException("The shelving must end in the future.")
            : until - now > (long)MaxShelveDuration.TotalMilliseconds ? throw new AlarmOperationException($"An alarm can be shelved for at most {MaxShelveDuration.TotalHours:0} hours.")
            : alarm with { ShelvedUntil = until, ShelvedBy = user, ShelveComment = comment, ChangedAt = now });

    public Task<AlarmChange> UnshelveAsync(string id, string user, string? comment, Caller caller, CancellationToken cancellationToken = default) =>
        OperateAsync(id, "unshelved", "alarm.unshelve", comment, caller, cancellationToken, (alarm, now) =>
            alarm.IsShelved(now) ? alarm with { ShelvedUntil = null, ShelvedBy = null, ShelveComment = null, ChangedAt = now }
            : throw new AlarmOperationException($"Alarm '{id}' is not shelved."));

    /// <summary>Unshelves alarms whose shelving has run out; the host calls it every second.</summary>
    public async Task ExpireShelvesAsync(CancellationToken cancellationToken = default)
    {
        var now = Now();
        if (!_openSnapshot.Any(a => a.ShelvedUntil is { } until && until <= now))
            return;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var alarm in _open.Values.Where(a => a.ShelvedUntil is { } until && until <= now).ToList())
                Track(await ChangeAsync(alarm, alarm with { ShelvedUntil = null, ShelvedBy = null, ShelveComment = null, ChangedAt = now }, "shelve-expired", "system", null, cancellationToken).ConfigureAwait(false));
            Publish();
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<IReadOnlyList<Alarm>> QueryAsync(AlarmQuery query, CancellationToken cancellationToken = default)
    {
        var now = Now();
        return _store.QueryAlarmsAsync(query, now, now - (long)RecentlyClosed.TotalMilliseconds, cancellationToken);
    }

    public Task<Alarm?> GetAsync(string id, CancellationToken cancellationToken = default) => _store.GetAlarmAsync(id, cancellationToken);

    public Task<IReadOnlyList<AlarmEvent>> HistoryAsync(long from, long to, string? assetId = null, string? alarmId = null, int limit = 10_000, CancellationToken cancellationToken = default) =>
        _store.QueryAlarmHistoryAsync(from, to, assetId, alarmId, limit, cancellationToken);

    private async Task<AlarmChange> OperateAsync(string id, string kind, string auditAction, string? comment, Caller caller, CancellationToken cancellationToken, Func<Alarm, long, Alarm> change)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_open.TryGetValue(id, out var alarm))
            {
                var closed = await _store.GetAlarmAsync(id, cancellationToken).ConfigureAwait(false);
                return closed is null ? AlarmChange.NotFound : AlarmChange.Refused(closed, $"Alarm '{id}' is closed (normal since {closed.ClosedAt}).");
            }
            Alarm next;
            try
            {
                next = change(alarm, Now());
            }
            catch (AlarmOperationException e)
            {
                await _audit.AppendAsync(new AuditEvent(caller.Actor, auditAction, "alarm:" + id, caller.Source, AuditOutcome.Denied, e.Message), cancellationToken).ConfigureAwait(false);
                return AlarmChange.Refused(alarm, e.Message);
            }
            next = Track(await ChangeAsync(alarm, next, kind, caller.Actor, comment, cancellationToken).ConfigureAwait(false));
            Publish();
            await _audit.AppendAsync(new AuditEvent(caller.Actor, auditAction, "alarm:" + id, caller.Source, AuditOutcome.Success,
                $"asset {alarm.AssetPath}, rule {alarm.RuleId}, now {StateName(next.State)}" + (comment is null ? "" : $"; comment: {comment}")), cancellationToken).ConfigureAwait(false);
            return AlarmChange.Done(next);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static Alarm Clear(Alarm alarm, long time)
    {
        var state = AlarmStateMachine.Clear(alarm.State);
        return alarm with { State = state, ClearedAt = time, ChangedAt = time };
    }

    private Task<Alarm> ChangeAsync(Alarm before, Alarm after, string kind, string actor, string? comment, CancellationToken cancellationToken)
    {
        var now = Now();
        if (after.State == AlarmState.Normal && after.ClosedAt is null)
            after = after with { ClosedAt = now };
        return SaveAsync(after, isNew: false, kind, actor, comment, now, cancellationToken);
    }

    private async Task<Alarm> SaveAsync(Alarm alarm, bool isNew, string kind, string actor, string? comment, long now, CancellationToken cancellationToken)
    {
        await _store.SaveAlarmAsync(alarm, isNew, kind, actor, comment, now, cancellationToken).ConfigureAwait(false);
        Changed?.Invoke(alarm);
        try
        {
            await _events.PublishAsync("fabrica/alarms/" + alarm.AssetId, JsonSerializer.SerializeToUtf8Bytes(alarm, AlarmJsonContext.Default.Alarm), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            AlarmLog.PublishFailed(_logger, e, alarm.Id);
        }
        return alarm;
    }

    private Alarm Track(Alarm alarm)
    {
        var key = (alarm.RuleId, alarm.AssetId);
        if (alarm.State == AlarmState.Normal)
        {
            _open.Remove(alarm.Id);
            if (_openByRule.TryGetValue(key, out var tracked) && tracked.Id == alarm.Id)
                _openByRule.Remove(key);
        }
        else
        {
            _open[alarm.Id] = alarm;
            _openByRule[key] = alarm;
        }
        return alarm;
    }

    private void Publish()
    {
        _openSnapshot = [.. _open.Values];
        Metrics.SetOpen(_openSnapshot);
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static string NewId() => "al" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(9));

    internal static string StateName(AlarmState state) => JsonSerializer.Serialize(state, AlarmJsonContext.Default.AlarmState).Trim('"');
}

/// <summary>What became of an operator's request: done (with the alarm), refused (with why), or no such alarm.</summary>
public sealed record AlarmChange(Alarm? Alarm, string? Problem)
{
    public static AlarmChange NotFound { get; } = new(null, null);

    public static AlarmChange Done(Alarm alarm) => new(alarm, null);

    public static AlarmChange Refused(Alarm alarm, string problem) => new(alarm, problem);
}

internal sealed class AlarmOperationException(string message) : Exception(message);
