using Fabrica.Security;
using Fabrica.Security.Audit;

namespace Fabrica.Platform.Alarms;

/// <summary>
/// Suppression by design and out of service (ANSI/ISA-18.2 §11, states G and H) per alarm point — a rule on an asset.
/// Unlike shelving (an operator's, time-limited), these are engineering decisions without expiry, kept in the model
/// database and audited (<c>alarm.suppress</c>, <c>alarm.out-of-service</c>, <c>alarm.return-to-service</c>).
/// </summary>
public sealed partial class AlarmBook
{
    private readonly Dictionary<(string Rule, string Asset), AlarmPoint> _points = [];
    private volatile AlarmPoint[] _pointSnapshot = [];

    /// <summary>Points not in service, from memory.</summary>
    public IReadOnlyList<AlarmPoint> Points => _pointSnapshot;

    /// <summary>
    /// Puts the point (<paramref name="ruleId"/> on <paramref name="assetId"/>) into <paramref name="mode"/>. Its open
    /// alarm follows: suppressed → flagged and hidden from active lists; out of service → closed; in service → flag removed.
    /// </summary>
    public async Task<AlarmPoint> SetPointModeAsync(string ruleId, string assetId, string assetPath, AlarmSuppression mode, string user, string? comment, Caller caller, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = Now();
            var point = new AlarmPoint(ruleId, assetId, assetPath, mode, now, user, comment);
            await _store.SaveAlarmPointAsync(point, cancellationToken).ConfigureAwait(false);
            if (mode == AlarmSuppression.InService)
                _points.Remove((ruleId, assetId));
            else
                _points[(ruleId, assetId)] = point;
            _pointSnapshot = [.. _points.Values];
            if (_openByRule.TryGetValue((ruleId, assetId), out var open))
            {
                var (next, kind) = mode switch
                {
                    AlarmSuppression.OutOfService => (open with { State = AlarmState.Normal, ClearedAt = open.ClearedAt ?? now, ChangedAt = now, Suppression = mode }, "out-of-service"),
                    AlarmSuppression.Suppressed => (open with { ChangedAt = now, Suppression = mode }, "suppressed"),
                    _ => (open with { ChangedAt = now, Suppression = null }, "returned-to-service"),
                };
                Track(await ChangeAsync(open, next, kind, caller.Actor, comment, cancellationToken).ConfigureAwait(false));
                Publish();
            }
            var action = mode switch { AlarmSuppression.OutOfService => "alarm.out-of-service", AlarmSuppression.Suppressed => "alarm.suppress", _ => "alarm.return-to-service" };
            await _audit.AppendAsync(new AuditEvent(caller.Actor, action, $"alarm-point:{ruleId}@{assetId}", caller.Source, AuditOutcome.Success,
                $"asset {assetPath}, rule {ruleId}" + (comment is null ? "" : $"; comment: {comment}")), cancellationToken).ConfigureAwait(false);
            return point;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The point's mode now (in service unless set otherwise).</summary>
    public AlarmSuppression ModeOf(string ruleId, string assetId) =>
        _pointSnapshot.FirstOrDefault(p => p.RuleId == ruleId && p.AssetId == assetId)?.Mode ?? AlarmSuppression.InService;

    private async Task LoadPointsAsync(CancellationToken cancellationToken)
    {
        foreach (var point in await _store.LoadAlarmPointsAsync(cancellationToken).ConfigureAwait(false))
            _points[(point.RuleId, point.AssetId)] = point;
        _pointSnapshot = [.. _points.Values];
    }
}
