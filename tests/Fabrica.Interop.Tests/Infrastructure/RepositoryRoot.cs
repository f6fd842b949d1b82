namespace Fabrica.Interop.Tests.Infrastructure;

/// <summary>The checkout the tests run from (the folder holding Fabrica.slnx), for peer scripts under tests/peers/.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Peer(params string[] parts) => System.IO.Path.Combine([Path, "tests", "peers", .. parts]);

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
