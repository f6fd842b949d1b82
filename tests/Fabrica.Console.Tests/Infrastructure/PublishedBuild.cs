using System.Diagnostics;

namespace Fabrica.Console.Tests.Infrastructure;

/// <summary>
/// The published `fabrica` (framework-dependent, linux-x64): `dotnet publish src/Fabrica.Cli -c Release -r linux-x64
/// -o artifacts/publish`, run once per test run. FABRICA_PUBLISHED names an existing publish folder instead (CI or a
/// script that published already). Publish output is what users run, and where static web assets go wrong.
/// </summary>
public static class PublishedBuild
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static string? _directory;

    public static async Task<string> EnsureAsync()
    {
        await Once.WaitAsync();
        try
        {
            return _directory ??= await PublishAsync();
        }
        finally
        {
            Once.Release();
        }
    }

    private static async Task<string> PublishAsync()
    {
        if (Environment.GetEnvironmentVariable("FABRICA_PUBLISHED") is { Length: > 0 } given)
            return File.Exists(Path.Combine(given, "fabrica.dll")) ? given : throw new InvalidOperationException($"FABRICA_PUBLISHED={given} holds no fabrica.dll.");
        var output = Path.Combine(RepositoryRoot.Path, "artifacts", "publish");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot.Path };
        foreach (var arg in new[] { "publish", "src/Fabrica.Cli/Fabrica.Cli.csproj", "-c", "Release", "-r", "linux-x64", "--self-contained", "false", "-o", output, "-nologo", "-clp:ErrorsOnly" })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet publish did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(15));
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"dotnet publish failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        return output;
    }
}

/// <summary>The checkout (the folder holding Fabrica.slnx): publish from it, write screenshots into its docs/.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Fabrica.slnx")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No Fabrica.slnx above {AppContext.BaseDirectory}.");
    }
}
