using Fabrica.Platform.Alarms;
using Microsoft.EntityFrameworkCore;

namespace Fabrica.Platform.Models.Storage;

/// <summary>Alarm points that are suppressed or out of service (ISA-18.2 states G and H).</summary>
public sealed partial class ModelStore
{
    internal async Task<IReadOnlyList<AlarmPoint>> LoadAlarmPointsAsync(CancellationToken cancellationToken = default)
    {
        var context = CreateContext();
        await using (context.ConfigureAwait(false))
        {
            var rows = await context.AlarmPoints.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.Select(r => new AlarmPoint(r.RuleId, r.AssetId, r.AssetPath, (AlarmSuppression)r.Mode, r.Since, r.By, r.Comment))];
        }
    }

    /// <summary>Stores the point's mode; a point back in service is deleted.</summary>
    internal async Task SaveAlarmPointAsync(AlarmPoint point, CancellationToken cancellationToken = default)
    {
        var context = CreateContext();
        await using (context.ConfigureAwait(false))
        {
            var row = await context.AlarmPoints.SingleOrDefaultAsync(r => r.RuleId == point.RuleId && r.AssetId == point.AssetId, cancellationToken).ConfigureAwait(false);
            if (point.Mode == AlarmSuppression.InService)
            {
                if (row is not null)
                    context.AlarmPoints.Remove(row);
            }
            else if (row is null)
            {
                context.AlarmPoints.Add(new AlarmPointRow { RuleId = point.RuleId, AssetId = point.AssetId, AssetPath = point.AssetPath, Mode = (int)point.Mode, Since = point.Since, By = point.By, Comment = point.Comment });
            }
            else
            {
                (row.AssetPath, row.Mode, row.Since, row.By, row.Comment) = (point.AssetPath, (int)point.Mode, point.Since, point.By, point.Comment);
            }
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
