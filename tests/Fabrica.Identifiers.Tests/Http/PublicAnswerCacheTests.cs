using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fabrica.Server.Hosting;

namespace Fabrica.Identifiers.Tests.Http;

/// <summary>
/// The public resolution answered from JSON encoded once per record (HandleRestService.PublicAnswers) and the
/// idnode pipeline that authenticates only requests carrying an Authorization header: through a real
/// <c>fabrica idnode</c> host and curl. The cached answer must be byte for byte the general path's, follow every
/// change of the record, still count in the statistics, and a token must still unlock non-public values.
/// </summary>
public sealed class PublicAnswerCacheTests : IAsyncLifetime
{
    private const string Path0 = "/api/handles/88.100.12/CACHED-1";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "fabrica-cache-" + Guid.NewGuid().ToString("N")[..12]);
    private IdentifierNodeServer _node = null!;
    private string _engineer = "", _viewer = "";

    public async Task InitializeAsync()
    {
        _node = await IdentifierNodeServer.StartAsync(new FabricaServerOptions
        {
            DataDirectory = _directory,
            HttpPort = 0,
            MqttPort = 0,
            BindAddress = IPAddress.Loopback,
            Identifiers = new IdentifierNodeSettings { Prefixes = ["88.100.12"], HandlePort = 0 },
        });
        _engineer = await NewTokenAsync("engineer");
        _viewer = await NewTokenAsync("viewer");
    }

    [Fact]
    public async Task The_cached_answer_equals_the_general_path_and_follows_every_change()
    {
        await PutAsync(Path0, """[{"index":1,"type":"URL","data":"https://example.com/a"},{"index":2,"type":"batch","data":"B-7","permissions":"1100"}]""");
        var first = await CurlAsync(Path0);
        Assert.Equal((200, first.Body), await CurlAsync(Path0));
        // ?index=1&index=400 takes the general path (filters) and selects the same values: URL and the signature.
        Assert.Equal(first, await CurlAsync(Path0 + "?index=1&index=400"));
        Assert.Contains("https://example.com/a", first.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("B-7", first.Body, StringComparison.Ordinal);

        await PutAsync(Path0, """[{"index":1,"type":"URL","data":"https://example.com/b"}]""");
        var replaced = await CurlAsync(Path0);
        Assert.Contains("https://example.com/b", replaced.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("https://example.com/a", replaced.Body, StringComparison.Ordinal);

        await PutAsync(Path0 + "?index=3", """[{"index":3,"type":"manufacturer","data":"ACME Pumps"}]""");
        Assert.Contains("ACME Pumps", (await CurlAsync(Path0)).Body, StringComparison.Ordinal);

        using (var engineer = Http(_engineer))
            (await engineer.DeleteAsync(Path0)).EnsureSuccessStatusCode();
        Assert.Equal(404, (await CurlAsync(Path0)).Status);
    }

    [Fact]
    public async Task Tokens_still_unlock_non_public_values_and_cached_answers_still_count()
    {
        const string h = "/api/handles/88.100.12/CACHED-2";
        await PutAsync(h, """[{"index":1,"type":"URL","data":"https://example.com/c"},{"index":2,"type":"batch","data":"B-8","permissions":"1100"}]""");
        Assert.Contains("B-8", (await CurlAsync(h, "-H", "Authorization: Bearer " + _viewer)).Body, StringComparison.Ordinal);
        // An unknown token is no reader: the public answer, as before the pipeline skipped authentication for anonymous calls.
        var forged = await CurlAsync(h, "-H", "Authorization: Bearer fab_unknown");
        Assert.Equal(await CurlAsync(h), forged);

        var before = await ResolutionsAsync();
        for (var i = 0; i < 5; i++)
            Assert.Equal(200, (await CurlAsync(h)).Status);
        Assert.Equal(before + 5, await ResolutionsAsync());
    }

    private async Task<long> ResolutionsAsync()
    {
        using var viewer = Http(_viewer);
        var statistics = await viewer.GetFromJsonAsync<JsonElement>("/api/v1/identifiers/statistics/88.100.12");
        return statistics.GetProperty("days").EnumerateArray().Sum(d => d.GetProperty("resolutions").GetInt64());
    }

    private async Task PutAsync(string path, string values)
    {
        using var engineer = Http(_engineer);
        using var response = await engineer.PutAsync(path, new StringContent(values, Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<(int Status, string Body)> CurlAsync(string path, params string[] arguments)
    {
        var start = new ProcessStartInfo("curl") { RedirectStandardOutput = true };
        foreach (var argument in new[] { "-sS", "-g", "-w", "\n%{http_code}" }.Concat(arguments))
            start.ArgumentList.Add(argument);
        start.ArgumentList.Add($"http://127.0.0.1:{_node.HttpPort}{path}");
        using var curl = Process.Start(start)!;
        var output = await curl.StandardOutput.ReadToEndAsync();
        await curl.WaitForExitAsync();
        Assert.Equal(0, curl.ExitCode);
        var newline = output.LastIndexOf('\n');
        return (int.Parse(output[(newline + 1)..], System.Globalization.CultureInfo.InvariantCulture), output[..newline]);
    }

    private HttpClient Http(string token)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_node.HttpPort}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private async Task<string> NewTokenAsync(string role)
    {
        using var http = Http((await File.ReadAllTextAsync(_node.AdminToken.Path)).Trim());
        using var response = await http.PostAsJsonAsync("/api/v1/tokens", new { name = "cache-" + role, role });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
