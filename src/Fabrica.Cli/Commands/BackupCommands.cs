using System.ComponentModel;
using Fabrica.Server.Hosting;
using Spectre.Console.Cli;

namespace Fabrica.Cli.Commands;

internal sealed class BackupSettings : ClientSettings
{
    [CommandArgument(0, "<DIR>")]
    [Description("New or empty directory, on the server's machine, to write the backup to")]
    public string Directory { get; init; } = "";
}

/// <summary><c>fabrica backup DIR</c>: asks the running node for a consistent copy of itself.</summary>
internal sealed class BackupCommand : AsyncCommand<BackupSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, BackupSettings settings, CancellationToken cancellationToken)
    {
        using var api = new ApiClient(settings);
        var target = Path.GetFullPath(settings.Directory);
        Console.Error.WriteLine($"backing up to {target}…");
        var summary = await api.PostAsync("/api/v1/admin/backup", new BackupRequestBody(target), CliJsonContext.Default.BackupRequestBody, cancellationToken);
        Console.WriteLine($"backup written to {summary.GetProperty("directory").GetString()} ({summary.GetProperty("bytes").GetInt64():N0} bytes)");
        return 0;
    }
}

internal sealed class RestoreSettings : CommandSettings
{
    [CommandArgument(0, "<DIR>")]
    [Description("A directory written by `fabrica backup`")]
    public string Directory { get; init; } = "";

    [CommandOption("--data <DIR>")]
    [Description("Data directory to restore into; must hold no node (default ./data; env FABRICA_DATA)")]
    public string? Data { get; init; }
}

/// <summary><c>fabrica restore DIR</c>: verifies a backup and brings it back into an unused data directory (offline).</summary>
internal sealed class RestoreCommand : AsyncCommand<RestoreSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, RestoreSettings settings, CancellationToken cancellationToken)
    {
        var data = settings.Data ?? Environment.GetEnvironmentVariable("FABRICA_DATA") ?? "./data";
        try
        {
            await NodeBackup.RestoreAsync(settings.Directory, data, cancellationToken);
        }
        catch (IOException e)
        {
            throw new CliException(e.Message);
        }
        Console.WriteLine($"restored {Path.GetFullPath(settings.Directory)} into {Path.GetFullPath(data)}; start it with `fabrica serve --data {data}`");
        return 0;
    }
}

internal sealed record BackupRequestBody(string Directory);
