using Fabrica.Security.Audit;
using Fabrica.Server.Auth;
using Fabrica.Server.Hosting;
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
        return admin;
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
