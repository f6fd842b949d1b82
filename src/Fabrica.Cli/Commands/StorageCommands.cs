using System.ComponentModel;
using Fabrica.Server.Hosting;
using Fabrica.Storage;
using Spectre.Console.Cli;

namespace Fabrica.Cli.Commands;

internal sealed class DataDirSettings : CommandSettings
{
    [CommandOption("--data <DIR>")]
    [Description("Data directory (default ./data; env FABRICA_DATA)")]
    public string? Data { get; init; }

    public string DataDirectory => Data ?? Environment.GetEnvironmentVariable("FABRICA_DATA") ?? "./data";
}

/// <summary>
/// <c>fabrica storage check</c>: verifies the magic, version and every checksum of every block and WAL segment,
/// names each damaged file, and exits 1 when anything is damaged. Safe while the server runs (files are read only).
/// </summary>
internal sealed class StorageCheckCommand : Command<DataDirSettings>
{
    public override int Execute(CommandContext context, DataDirSettings settings, CancellationToken cancellationToken)
    {
        var directory = new FabricaServerOptions { DataDirectory = settings.DataDirectory }.StorageDirectory;
        if (!Directory.Exists(directory))
        {
            Console.Error.WriteLine($"No storage at {Path.GetFullPath(directory)}: is --data right?");
            return 2;
        }
        var progress = new Progress<StorageProgress>(p => Console.Error.WriteLine($"checking {p.Done}/{p.Total} files"));
        var report = TimeSeriesEngine.Check(directory, progress);
        foreach (var file in report.Files)
        {
            if (file.Ok)
                Console.WriteLine($"ok       {file.Path}");
            else
                Console.WriteLine($"DAMAGED  {file.Path}: {file.Problem}");
        }
        var damaged = report.Files.Count(f => !f.Ok);
        Console.WriteLine(damaged == 0
            ? $"{report.Files.Count} files checked, no damage"
            : $"{report.Files.Count} files checked, {damaged} damaged");
        return damaged == 0 ? 0 : 1;
    }
}
