using System.Text.Json;
using Fabrica.Platform.Alarms;
using Fabrica.Rules;
using Microsoft.EntityFrameworkCore;

namespace Fabrica.Platform.Models.Storage;

/// <summary>Alarms and their history.</summary>
public sealed partial class ModelStore
{
    /// <summary>Stores the alarm as it is now and appends what happened (<paramref name="kind"/>) to its history, in one transaction.</summary>
    internal async Task<AlarmEvent> SaveAlarmAsync(Alarm alarm, bool isNew, string kind, string actor, string? comment, long time, CancellationToken cancellationToken = default)
    {
        var context = CreateContext();
        await using (context.ConfigureAwait(false))
        {
            var row = ToRow(alarm);
            if (isNew)
                context.Alarms.Add(row);
            else
                context.Alarms.Update(row);
            var entry = new AlarmEventRow { AlarmId = alarm.Id, AssetId = alarm.AssetId, Time = time, Kind = kind, State = (int)alarm.State, Actor = actor, Comment = comment };
            context.AlarmEvents.Add(entry);
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return ToEvent(entry);
        }
    }

    internal async Task<IReadOnlyList<Alarm>> LoadOpenAlarmsAsync(CancellationToken cancellationToken = default)
    {
        var context = CreateContext();
        await using (context.ConfigureAwait(false))
        {
            var rows = await context.Alarms.AsNoTracking().Where(a => a.ClosedAt == null).ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.Select(ToAlarm)];
        }
    }

    public async Task<Alarm?> GetAlarmAsync(string id, CancellationToken cancellationToken = default)
    {
        var context = CreateContext();
        await using (context.ConfigureAwait(false))
        {
            var row = await context.Alarms.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken).ConfigureAwait(false);
            return row is null ? null : ToAlarm(row);
        }
    }

    /// <summary>Open alarms (and, for <see cref="AlarmState.Normal"/>, those closed since <paramref name="closedSince"/>), newest first.</summary>
    internal async Task<IReadOnlyList<Alarm>> QueryAlarmsAsync(AlarmQuery query, long now, long closedSince, CancellationToken cancellationToken = default)
    {
        var context = CreateContext();
        await using (context.ConfigureAwait(false))
        {
            var rows = context.Alarms.AsNoTracking();
            rows = query.State switch
            {
                null => rows.Where(a => a.ClosedAt == null),
                AlarmState.Normal => rows.Where(a => a.ClosedAt != null && a.ClosedAt >= closedSince),
                { } state => rows.Where(a => a.ClosedAt == null && a.State == (int)state),
            };
            if (query.Priority is { } priority)
                rows = rows.Where(a => a.Priority == priority);
            if (query.AssetPath is { } path)
            {
                var below = path + "/";
                rows = rows.Where(a => a.AssetPath == path || a.AssetPath.StartsWith(below));
            }
            if (query.Suppressed is true)
                rows = rows.Where(a => a.Suppression != 0);
            else if (query.Suppressed is false)
                rows = rows.Where(a => a.Suppression == 0);
            if (query.Shelved is true)
                rows = rows.Where(a => a.ShelvedUntil != null && a.ShelvedUntil > now);
            else if (query.Shelved is false)
                rows = rows.Where(a => a.ShelvedUntil == null || a.ShelvedUntil <= now);
            var list = await rows.OrderByDescending(a => a.ChangedAt).Take(query.Limit).ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. list.Select(ToAlarm)];
        }
    }

    /// <summary>History entries with <paramref name="from"/> ≤ time &lt; <paramref name="to"/>, oldest first.</summary>
    public async Task<IReadOnlyList<AlarmEvent>> QueryAlarmHistoryAsync(long from, long to, string? assetId, string? alarmId, int limit, CancellationToken cancellationToken = default)
    {
        var context = CreateContext();
        await using (context.ConfigureAwait(false))
        {
            var rows = context.AlarmEvents.AsNoTracking().Where(e => e.Time >= from && e.Time < to);
            if (assetId is not null)
                rows = rows.Where(e => e.AssetId == assetId);
            if (alarmId is not null)
                rows = rows.Where(e => e.AlarmId == alarmId);
            var list = await rows.OrderBy(e => e.Seq).Take(limit).ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. list.Select(ToEvent)];
        }
    }

    private static AlarmEvent ToEvent(AlarmEventRow r) => new(r.Seq, r.AlarmId, r.AssetId, r.Time, r.Kind, (AlarmState)r.State, r.Actor, r.Comment);

    private static AlarmRow ToRow(Alarm a) => new()
    {
        Id = a.Id, RuleId = a.RuleId, AssetId = a.AssetId, AssetPath = a.AssetPath, Message = a.Message, State = (int)a.State,
        Priority = a.Priority, Severity = (int)a.Severity, RaisedAt = a.RaisedAt, ChangedAt = a.ChangedAt, ClearedAt = a.ClearedAt,
        AcknowledgedAt = a.AcknowledgedAt, AcknowledgedBy = a.AcknowledgedBy, AcknowledgeComment = a.AcknowledgeComment,
        ShelvedUntil = a.ShelvedUntil, ShelvedBy = a.ShelvedBy, ShelveComment = a.ShelveComment, ClosedAt = a.ClosedAt,
        Occurrences = a.Occurrences, Suppression = (int)(a.Suppression ?? AlarmSuppression.InService),
        ValuesJson = a.Values is null ? null : JsonSerializer.Serialize(a.Values, AlarmJsonContext.Default.IReadOnlyDictionaryStringTagReading),
    };

    private static Alarm ToAlarm(AlarmRow r) => new(
        r.Id, r.RuleId, r.AssetId, r.AssetPath, r.Message, (AlarmState)r.State, r.Priority, (RuleSeverity)r.Severity, r.RaisedAt, r.ChangedAt,
        r.Occurrences, r.ClearedAt, r.AcknowledgedAt, r.AcknowledgedBy, r.AcknowledgeComment, r.ShelvedUntil, r.ShelvedBy, r.ShelveComment, r.ClosedAt,
        r.ValuesJson is null ? null : JsonSerializer.Deserialize(r.ValuesJson, AlarmJsonContext.Default.IReadOnlyDictionaryStringTagReading),
        r.Suppression == 0 ? null : (AlarmSuppression)r.Suppression);
}
