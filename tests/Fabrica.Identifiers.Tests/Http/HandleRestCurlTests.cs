using System.Text.Json;
using System.Text.Json.Nodes;
using Fabrica.Security.Audit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Fabrica.Identifiers.Tests.Http;

/// <summary>
/// The REST front end against the Handle.Net HTTP JSON API, driven by curl. Expected bodies come from CNRI's
/// documentation (Http/Fixtures/README.md), never from our own output. Differences that Fabrica adds on purpose and
/// that the comparison strips: timestamps are the time of our write, and every record carries an HS_SIGNATURE value
/// (index 400) by its prefix owner.
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class HandleRestCurlTests(NodeFixture node)
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Http", "Fixtures", name));

    private static JsonNode Comparable(JsonElement body)
    {
        var json = JsonNode.Parse(body.GetRawText())!;
        if (json["values"] is JsonArray values)
        {
            foreach (var signature in values.Where(v => v!["type"]!.GetValue<string>() == "HS_SIGNATURE").ToList())
                values.Remove(signature);
            foreach (var value in values)
                value!.AsObject().Remove("timestamp");
        }
        return json;
    }

    private static void AssertSameJson(string expected, JsonElement actual) =>
        Assert.True(JsonNode.DeepEquals(Comparable(JsonDocument.Parse(expected).RootElement), Comparable(actual)),
            $"expected (from the Handle.Net docs) {expected}\nactual {actual}");

    private static void AssertCode(int status, int responseCode, (int Status, JsonElement Body) answer)
    {
        Assert.True(answer.Status == status, $"HTTP {answer.Status}, expected {status}: {answer.Body}");
        Assert.Equal(responseCode, answer.Body.GetProperty("responseCode").GetInt32());
    }

    [Fact]
    public async Task The_documented_example_record_resolves_to_the_documented_body()
    {
        AssertCode(201, 1, await node.CurlAsync("PUT", "/api/handles/4263537/4000", node.EngineerToken, Fixture("handle-net-values.json")));

        var all = await node.CurlAsync("GET", "/api/handles/4263537/4000");
        Assert.Equal(200, all.Status);
        AssertSameJson(Fixture("handle-net-example.json"), all.Body);

        var typed = await node.CurlAsync("GET", "/api/handles/4263537/4000?type=URL&type=EMAIL");
        Assert.Equal(200, typed.Status);
        AssertSameJson(Fixture("handle-net-example-typed.json"), typed.Body);

        // Replacing an existing record is 200, not 201 (Technical Manual §14.4).
        AssertCode(200, 1, await node.CurlAsync("PUT", "/api/handles/4263537/4000", node.EngineerToken, Fixture("handle-net-values.json")));
    }

    [Fact]
    public async Task Every_documented_response_code_comes_with_its_HTTP_status()
    {
        const string h = "/api/handles/4263537/codes";
        var values = """[{"index":1,"type":"URL","data":{"format":"string","value":"https://example.com/a"}},{"index":2,"type":"manufacturer","data":"ACME"}]""";
        AssertCode(201, 1, await node.CurlAsync("PUT", h, node.EngineerToken, values));
        AssertCode(200, 1, await node.CurlAsync("GET", h));
        AssertCode(200, 200, await node.CurlAsync("GET", h + "?index=77"));                        // values not found, in resolution
        AssertCode(404, 100, await node.CurlAsync("GET", "/api/handles/4263537/no-such-handle"));   // handle not found
        AssertCode(409, 101, await node.CurlAsync("PUT", h + "?overwrite=false", node.EngineerToken, values)); // handle exists
        AssertCode(400, 102, await node.CurlAsync("GET", "/api/handles/not..a..prefix/x"));          // invalid handle
        AssertCode(409, 201, await node.CurlAsync("PUT", h + "?index=1&overwrite=false", node.EngineerToken, """[{"index":1,"type":"URL","data":"https://example.com/b"}]""")); // value exists
        AssertCode(400, 202, await node.CurlAsync("PUT", h, node.EngineerToken, """[{"index":1,"type":"URL","data":{"format":"rot13","value":"x"}}]""")); // invalid value
        AssertCode(400, 301, await node.CurlAsync("GET", "/api/handles/99.1/elsewhere"));           // not responsible
        AssertCode(401, 402, await node.CurlAsync("PUT", h, body: values));                         // authentication needed
        AssertCode(401, 402, await node.CurlAsync("GET", h + "?publicOnly=false"));
        AssertCode(403, 400, await node.CurlAsync("PUT", h, node.ViewerToken, values));             // authenticated, not an engineer
        AssertCode(400, 200, await node.CurlAsync("DELETE", h + "?index=77", node.EngineerToken));  // values not found, outside resolution
        AssertCode(200, 1, await node.CurlAsync("PUT", h + "?index=2", node.EngineerToken, """[{"index":2,"type":"manufacturer","data":"ACME Pumps"}]"""));
        Assert.Equal("ACME Pumps", (await node.CurlAsync("GET", h + "?index=2")).Body.GetProperty("values")[0].GetProperty("data").GetProperty("value").GetString());
        AssertCode(200, 1, await node.CurlAsync("DELETE", h + "?index=2", node.EngineerToken));
        AssertCode(200, 1, await node.CurlAsync("DELETE", h, node.EngineerToken));
        AssertCode(404, 100, await node.CurlAsync("DELETE", h, node.EngineerToken));
    }

    [Fact]
    public async Task A_store_that_refuses_the_write_answers_responseCode_2_with_500()
    {
        // A real fault in the real database: a trigger makes SQLite abort this one insert.
        await using (var sqlite = new SqliteConnection($"Data Source={Path.Combine(node.DataDirectory, "identifiers.db")};Pooling=False"))
        {
            await sqlite.OpenAsync();
            var command = sqlite.CreateCommand();
            command.CommandText = "CREATE TRIGGER IF NOT EXISTS refuse_boom BEFORE INSERT ON Handles WHEN NEW.Handle = '4263537/BOOM' BEGIN SELECT RAISE(ABORT, 'refused by test'); END;";
            await command.ExecuteNonQueryAsync();
        }
        AssertCode(500, 2, await node.CurlAsync("PUT", "/api/handles/4263537/BOOM", node.EngineerToken, """[{"index":1,"type":"URL","data":"x"}]"""));
        AssertCode(404, 100, await node.CurlAsync("GET", "/api/handles/4263537/BOOM"));
    }

    [Fact]
    public async Task Values_that_are_not_public_reach_only_authorised_readers()
    {
        const string h = "/api/handles/88.100.12/PUMP-0001";
        var values = """
            [{"index":1,"type":"URL","data":"https://example.com/pump/1"},
             {"index":2,"type":"batch","data":"B-2026-11","permissions":"1100"},
             {"index":3,"type":"fabrica.asset","data":"plant-1/line-2/pump-1","permissions":"1100"}]
            """;
        AssertCode(201, 1, await node.CurlAsync("PUT", h, node.EngineerToken, values));
        var anonymous = await node.CurlAsync("GET", h);
        Assert.DoesNotContain("B-2026-11", anonymous.Body.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("plant-1", anonymous.Body.GetRawText(), StringComparison.Ordinal);
        AssertCode(200, 200, await node.CurlAsync("GET", h + "?type=batch"));
        var reader = await node.CurlAsync("GET", h + "?publicOnly=false", node.ViewerToken);
        Assert.Contains("B-2026-11", reader.Body.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("1100", reader.Body.GetProperty("values").EnumerateArray().First(v => v.GetProperty("index").GetInt32() == 2).GetProperty("permissions").GetString());
        // Authenticated callers default to publicOnly=false (Technical Manual §14.5.1).
        Assert.Contains("plant-1", (await node.CurlAsync("GET", h, node.ViewerToken)).Body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Minting_listing_and_the_audit_log_work_as_Handle_Net_clients_expect()
    {
        var minted = await node.CurlAsync("PUT", "/api/handles/88.100.12/?mintNewSuffix=true", node.EngineerToken, """{"values":[{"index":1,"type":"URL","data":"https://example.com/m"}]}""");
        AssertCode(201, 1, minted);
        var handle = minted.Body.GetProperty("handle").GetString()!;
        Assert.StartsWith("88.100.12/", handle, StringComparison.Ordinal);
        AssertCode(200, 1, await node.CurlAsync("GET", "/api/handles/" + handle));

        AssertCode(401, 402, await node.CurlAsync("GET", "/api/handles?prefix=88.100.12"));
        var list = await node.CurlAsync("GET", "/api/handles?prefix=88.100.12", node.ViewerToken);
        AssertCode(200, 1, list);
        Assert.Contains(handle, list.Body.GetProperty("handles").EnumerateArray().Select(e => e.GetString()));
        var countOnly = await node.CurlAsync("GET", "/api/handles?prefix=88.100.12&page=0&pageSize=0", node.ViewerToken);
        Assert.Equal(list.Body.GetProperty("totalCount").GetInt32(), countOnly.Body.GetProperty("totalCount").GetInt32());
        Assert.Equal(0, countOnly.Body.GetProperty("handles").GetArrayLength());

        AssertCode(200, 1, await node.CurlAsync("DELETE", "/api/handles/" + handle, node.EngineerToken));
        AssertCode(403, 400, await node.CurlAsync("DELETE", "/api/handles/" + handle, node.ViewerToken));
        await node.Server.Services.GetRequiredService<IAuditLog>().FlushAsync();
        var audit = string.Concat(Directory.GetFiles(Path.Combine(node.DataDirectory, "audit")).Select(File.ReadAllText));
        Assert.Contains($"\"action\":\"handle.delete\",\"target\":\"handle:{handle}\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"outcome\":\"denied\"", audit, StringComparison.Ordinal);
    }
}
