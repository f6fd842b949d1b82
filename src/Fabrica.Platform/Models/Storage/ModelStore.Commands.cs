using System.Text.Json;
using Fabrica.Platform.Commands;
using Microsoft.EntityFrameworkCore;

namespace Fabrica.Platform.Models.Storage;

/// <summary>Commands and what became of them.</summary>
public sealed partial class ModelStore
{
    internal async Task SaveCommandAsync(DeviceCommand command, bool isNew, CancellationToken cancellationToken = default)
    {
        var context = CreateContext();
        await using (context.ConfigureAwait(false))
        {
            var row = new CommandRow
            {
                Id = command.Id, AssetId = command.Asset, DeviceId = command.Device, Name = command.Name, ArgsJson = command.Args.GetRawText(),
                Status = (int)command.Status, Actor = command.Actor, CreatedAt = command.CreatedAt, ExpiresAt = command.ExpiresAt,
                DeliveredAt = command.DeliveredAt, CompletedAt = command.CompletedAt, ResultJson = command.Result?.GetRawText(), Error = command.Error,
            };
            if (isNew)
                context.Commands.Add(row);
            else
                context.Commands.Update(row);
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<DeviceCommand?> GetCommandAsync(string id, CancellationToken cancellationToken = default)
    {
        var context = CreateContext();
        await using (context.ConfigureAwait(false))
        {
            var row = await context.Commands.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken).ConfigureAwait(false);
            return row is null ? null : ToCommand(row);
        }
    }

    /// <summary>Commands created in [<paramref name="from"/>, <paramref name="to"/>), oldest first, optionally of one device and one actor.</summary>
    public async Task<IReadOnlyList<DeviceCommand>> ListCommandsAsync(string? deviceId, string? actor, long from, long to, int limit, CancellationToken cancellationToken = default)
    {
        var context = CreateContext();
        await using (context.ConfigureAwait(false))
        {
            var query = context.Commands.AsNoTracking().Where(c => c.CreatedAt >= from && c.CreatedAt < to);
            if (deviceId is not null)
                query = query.Where(c => c.DeviceId == deviceId);
            if (actor is not null)
                query = query.Where(c => c.Actor == actor);
            var rows = await query.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).Take(limit).ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.Select(ToCommand)];
        }
    }

    /// <summary>Commands not final (pending or delivered), for expiry after a restart.</summary>
    internal async Task<IReadOnlyList<DeviceCommand>> LoadOpenCommandsAsync(CancellationToken cancellationToken = default)
    {
        var context = CreateContext();
        await using (context.ConfigureAwait(false))
        {
            var rows = await context.Commands.AsNoTracking()
                .Where(c => c.Status == (int)CommandStatus.Pending || c.Status == (int)CommandStatus.Delivered)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.Select(ToCommand)];
        }
    }

    private static DeviceCommand ToCommand(CommandRow r) => new(
        r.Id, r.AssetId, r.DeviceId, r.Name, JsonDocument.Parse(r.ArgsJson).RootElement.Clone(), (CommandStatus)r.Status, r.Actor, r.CreatedAt, r.ExpiresAt,
        r.DeliveredAt, r.CompletedAt, r.ResultJson is null ? null : JsonDocument.Parse(r.ResultJson).RootElement.Clone(), r.Error);
}
