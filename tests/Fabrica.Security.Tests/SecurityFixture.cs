using Fabrica.Security.ApiTokens;
using Fabrica.Security.Audit;
using Fabrica.Security.Authentication;
using Fabrica.Security.Devices;
using Fabrica.Security.Gateways;
using Fabrica.Security.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Fabrica.Security.Tests;

/// <summary>Everything the security model needs, on a real SQLite file and a real audit directory in a temp folder.</summary>
internal sealed class SecurityFixture : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    public const string Source = "127.0.0.1:50000";
    public static readonly Caller Admin = new("token:test-admin", Source);

    private SecurityFixture(string directory, FakeTimeProvider time, SecurityStore store, AuditLog audit)
    {
        Directory = directory;
        Time = time;
        Store = store;
        Audit = audit;
        Devices = new DeviceRegistry(store, audit);
        Gateways = new GatewayRegistry(store, audit);
        ApiTokens = new ApiTokenService(store, audit);
        Authenticator = new CredentialAuthenticator(Devices, Gateways, ApiTokens);
    }

    public string Directory { get; }
    public string DatabasePath => Store.DatabasePath;
    public string AuditDirectory => Path.Combine(Directory, "audit");
    public FakeTimeProvider Time { get; }
    public SecurityStore Store { get; }
    public AuditLog Audit { get; private set; }
    public DeviceRegistry Devices { get; private set; }
    public GatewayRegistry Gateways { get; private set; }
    public ApiTokenService ApiTokens { get; private set; }
    public CredentialAuthenticator Authenticator { get; private set; }

    public static async Task<SecurityFixture> CreateAsync(string? directory = null)
    {
        directory ??= Path.Combine(Path.GetTempPath(), "fabrica-security-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var time = new FakeTimeProvider(Start);
        var store = new SecurityStore(Path.Combine(directory, "fabrica.db"), time);
        await store.MigrateAsync();
        var audit = await AuditLog.OpenAsync(Path.Combine(directory, "audit"), time);
        return new SecurityFixture(directory, time, store, audit);
    }

    /// <summary>A second process start on the same data: new store, new services, same files.</summary>
    public async Task<SecurityFixture> RestartAsync()
    {
        await Audit.DisposeAsync();
        SqliteConnection.ClearAllPools();
        return await CreateAsync(Directory);
    }

    public async ValueTask DisposeAsync()
    {
        await Audit.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    public async Task<IReadOnlyList<AuditRecord>> AuditRecordsAsync()
    {
        await Audit.FlushAsync();
        var records = new List<AuditRecord>();
        foreach (var file in System.IO.Directory.GetFiles(AuditDirectory, "audit-*.jsonl").Order(StringComparer.Ordinal))
        {
            foreach (var line in File.ReadAllLines(file))
            {
                Assert.True(AuditRecord.TryRead(System.Text.Encoding.UTF8.GetBytes(line), out var record, out var problem), problem);
                records.Add(record!);
            }
        }
        return records;
    }
}
