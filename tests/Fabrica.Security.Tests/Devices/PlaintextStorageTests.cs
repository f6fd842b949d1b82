using System.Text;
using Fabrica.Security.Principals;
using Fabrica.Security.Tokens;
using Microsoft.Data.Sqlite;

namespace Fabrica.Security.Tests.Devices;

public sealed class PlaintextStorageTests
{
    [Fact]
    public async Task No_column_of_any_table_holds_a_token_or_its_secret_part()
    {
        await using var f = await SecurityFixture.CreateAsync();
        var tokens = new List<string>
        {
            (await f.Devices.RegisterAsync("pump-1", "Pump", SecurityFixture.Admin)).Token,
            (await f.Gateways.RegisterAsync("edge-1", "Edge", SecurityFixture.Admin)).Token,
            (await f.ApiTokens.CreateAsync("ci", Role.Operator, SecurityFixture.Admin)).Token,
        };
        tokens.Add((await f.Devices.RotateTokenAsync("pump-1", SecurityFixture.Admin))!.Token);
        var secrets = tokens.Select(t => t[(TokenGenerator.PrefixLength + TokenGenerator.LookupIdLength)..]).ToList();

        var values = new List<string>();
        await using (var connection = new SqliteConnection($"Data Source={f.DatabasePath};Mode=ReadOnly;Pooling=False"))
        {
            await connection.OpenAsync();
            var tables = new List<string>();
            await using (var list = connection.CreateCommand())
            {
                list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
                await using var reader = await list.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                    tables.Add(reader.GetString(0));
            }
            Assert.Contains("Devices", tables);
            foreach (var table in tables)
            {
                await using var select = connection.CreateCommand();
                select.CommandText = $"SELECT * FROM \"{table}\"";
                await using var reader = await select.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    for (var column = 0; column < reader.FieldCount; column++)
                    {
                        var value = reader.GetValue(column);
                        values.Add(value is byte[] bytes ? Encoding.Latin1.GetString(bytes) + Convert.ToBase64String(bytes) : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "");
                    }
                }
            }
        }
        Assert.NotEmpty(values);
        foreach (var secret in secrets)
            Assert.DoesNotContain(values, v => v.Contains(secret, StringComparison.Ordinal));

        // Nor anywhere in the files, the write-ahead log and the audit log included.
        // Closing the pooled connections checkpoints SQLite's -wal file into the database and deletes it; without
        // this the file can vanish between listing and reading it.
        await f.Audit.FlushAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(f.Directory, "*", SearchOption.AllDirectories))
        {
            var bytes = Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file));
            foreach (var secret in secrets)
                Assert.DoesNotContain(secret, bytes, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_database_uses_write_ahead_logging()
    {
        await using var f = await SecurityFixture.CreateAsync();
        await using var connection = new SqliteConnection($"Data Source={f.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }
}
