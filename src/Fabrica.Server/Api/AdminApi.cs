using Fabrica.Security.Audit;
using Fabrica.Server.Auth;
using Fabrica.Server.Hosting;
using Fabrica.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fabrica.Server.Api;

/// <summary>Node administration (admin role): consistent backup of a running node.</summary>
internal static class AdminApi
{
    public static RouteGroupBuilder MapAdminApi(this RouteGroupBuilder admin)
    {
        admin.RequireAuthorization(Policies.Admin);
        admin.MapPost("/backup", Backup).WithName("BackupNode")
            .WithSummary("Write a consistent backup of this node into an empty directory on the server's file system");
        admin.MapGet("/storage", GetStorage).WithName("GetStorageStatus")
            .WithSummary("Storage statistics and what recovery found and repaired at the last start");
        admin.MapPost("/storage/flush", FlushStorage).WithName("FlushStorage")
            .WithSummary("Write the in-memory head to a block now (e.g. before maintenance); the WAL it covers is then removed");
        admin.MapPost("/storage/compact", CompactStorage).WithName("CompactStorage")
            .WithSummary("Merge small and overlapping blocks now instead of waiting for the background schedule");
        return admin;
    }

    private static Ok<StorageStatus> GetStorage(TimeSeriesEngine storage) =>
        TypedResults.Ok(new StorageStatus(storage.GetStatistics(), RecoveryView.From(storage.Recovery)));

    private static async Task<Ok<StorageStatus>> FlushStorage(TimeSeriesEngine storage, CancellationToken cancellationToken)
    {
        await storage.FlushAsync(cancellationToken);
        return GetStorage(storage);
    }

    private static async Task<Ok<StorageStatus>> CompactStorage(TimeSeriesEngine storage, CancellationToken cancellationToken)
    {
        await storage.CompactAsync(cancellationToken);
        return GetStorage(storage);
    }

    private static async Task<Results<Ok<BackupSummary>, ValidationProblem>> Backup(
        BackupRequest request, HttpContext http, IAuditLog audit, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Directory) || !Path.IsPathFullyQualified(request.Directory))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["directory"] = ["Give an absolute path on the server."] });
        var caller = http.AuditCaller();
        try
        {
            var summary = await NodeBackup.BackupAsync(http.RequestServices, request.Directory, cancellationToken: cancellationToken);
            await audit.AppendAsync(new AuditEvent(caller.Actor, "node.backup", "dir:" + summary.Directory, caller.Source, AuditOutcome.Success, $"{summary.Bytes} bytes"), cancellationToken);
            return TypedResults.Ok(summary);
        }
        catch (IOException e)
        {
            await audit.AppendAsync(new AuditEvent(caller.Actor, "node.backup", "dir:" + request.Directory, caller.Source, AuditOutcome.Failed, e.Message), cancellationToken);
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["directory"] = [e.Message] });
        }
    }
}

internal sealed record BackupRequest(string Directory);

internal sealed record StorageStatus(StorageStatistics Statistics, RecoveryView Recovery);

/// <param name="DurationMs">How long opening the storage took.</param>
internal sealed record RecoveryView(bool Clean, int BlocksLoaded, IReadOnlyList<string> DamagedBlocks,
    long WalRecordsReplayed, long WalSamplesReplayed, IReadOnlyList<string> WalRepairs, double DurationMs)
{
    public static RecoveryView From(RecoveryReport r) => new(r.Clean, r.BlocksLoaded, r.DamagedBlocks,
        r.WalRecordsReplayed, r.WalSamplesReplayed, r.WalRepairs, r.Duration.TotalMilliseconds);
}
