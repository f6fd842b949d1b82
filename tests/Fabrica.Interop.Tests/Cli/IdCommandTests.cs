using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Fabrica.Interop.Tests.Infrastructure;
using Fabrica.Server.Hosting;

namespace Fabrica.Interop.Tests.Cli;

/// <summary>
/// <c>fabrica id register|resolve|delete|list|import</c> run as a user runs them — the real CLI binary, output
/// redirected as in a script or CI — against a real identifier node (<c>fabrica idnode</c>'s host on free ports).
/// </summary>
public sealed class IdCommandTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private IdentifierNodeServer _node = null!;
    private string _server = "", _token = "";

    public async Task InitializeAsync()
    {
        _node = await IdentifierNodeServer.StartAsync(new FabricaServerOptions
        {
            DataDirectory = _data.Path,
            HttpPort = 0,
            BindAddress = IPAddress.Loopback,
            Identifiers = new IdentifierNodeSettings { Prefixes = ["88.100.12"], HandlePort = 0 },
        });
        _server = $"http://127.0.0.1:{_node.HttpPort}";
        _token = (await File.ReadAllTextAsync(Path.Combine(_data.Path, "admin.token"))).Trim();
    }

    private Task<(int Exit, string Output)> Fabrica(bool withToken, params string[] args) =>
        FabricaCli.RunAsync(withToken ? [.. args, "--server", _server, "--token", _token] : [.. args, "--server", _server]);

    private async Task<string> Ok(bool withToken, params string[] args)
    {
        var (exit, output) = await Fabrica(withToken, args);
        Assert.True(exit == 0, $"fabrica {string.Join(' ', args)} exited {exit}: {output}");
        return output;
    }

    [Fact]
    public async Task Register_resolve_list_and_delete_a_handle_with_public_and_private_values()
    {
        Assert.Contains("created 88.100.12/PUMP-0001", await Ok(true, "id", "register", "88.100.12/PUMP-0001", "--url", "https://example.com/pump/1",
            "--value", "manufacturer=ACME Pumps", "--private", "batch=B-2026-11"));
        // Anonymous: the public values only; with the token: the private batch too.
        var anonymous = await Ok(false, "id", "resolve", "88.100.12/PUMP-0001", "--json");
        Assert.Contains("https://example.com/pump/1", anonymous);
        Assert.Contains("ACME Pumps", anonymous);
        Assert.DoesNotContain("B-2026-11", anonymous);
        Assert.Contains("B-2026-11", await Ok(true, "id", "resolve", "88.100.12/PUMP-0001", "--json"));
        Assert.Contains("88.100.12/PUMP-0001", await Ok(true, "id", "list", "88.100.12"));

        Assert.Contains("deleted values 2", await Ok(true, "id", "delete", "88.100.12/PUMP-0001", "--index", "2"));
        Assert.DoesNotContain("ACME Pumps", await Ok(true, "id", "resolve", "88.100.12/PUMP-0001", "--json"));
        Assert.Contains("deleted 88.100.12/PUMP-0001", await Ok(true, "id", "delete", "88.100.12/PUMP-0001"));
        var (exit, output) = await Fabrica(false, "id", "resolve", "88.100.12/PUMP-0001");
        Assert.NotEqual(0, exit);
        Assert.Contains("100", output);
        // Writing without a token is refused by the node, not silently dropped.
        var (refused, _) = await Fabrica(false, "id", "register", "88.100.12/PUMP-0002", "--url", "https://example.com/pump/2");
        Assert.NotEqual(0, refused);
    }

    [Fact]
    public async Task A_CSV_of_thousands_is_imported_with_progress_lines_and_a_bad_row_is_named_by_its_line()
    {
        const int count = 3000;
        var csv = new StringBuilder("handle,URL,manufacturer,private:batch\n");
        for (var i = 1; i <= count; i++)
            csv.Append(CultureInfo.InvariantCulture, $"88.100.12/P-{i:D5},https://example.com/p/{i},\"ACME, Inc.\",B-{i}\n");
        var good = Path.Combine(_data.Path, "products.csv");
        await File.WriteAllTextAsync(good, csv.ToString());

        var output = await Ok(true, "id", "import", good, "--parallel", "8");
        // Not a terminal (output redirected): a progress line every 5 %, then the total.
        var progress = output.Split('\n').Where(l => l.StartsWith("imported ", StringComparison.Ordinal)).ToList();
        Assert.True(progress.Count >= 20, output);
        Assert.Contains($"imported {count}/{count} (100 %)", output);
        Assert.Contains($"{count} of {count} identifiers registered", output);
        var listed = await Ok(true, "id", "list", "88.100.12", "--page-size", "0");
        Assert.Contains(count.ToString(CultureInfo.InvariantCulture), listed);
        var resolved = await Ok(false, "id", "resolve", "88.100.12/P-02999", "--json");
        Assert.Contains("ACME, Inc.", resolved);
        Assert.DoesNotContain("B-2999", resolved);

        var bad = Path.Combine(_data.Path, "bad.csv");
        await File.WriteAllTextAsync(bad, "handle,URL\n88.100.12/OK-1,https://example.com/1\nnot a handle,https://example.com/2\n88.100.12/OK-3,https://example.com/3,extra\n");
        var (exit, message) = await Fabrica(true, "id", "import", bad);
        Assert.NotEqual(0, exit);
        foreach (var expected in new[] { "1 of 3 identifiers registered", "bad.csv line 3: 'not a handle' is not a handle", "bad.csv line 4: 3 fields, but the header has 2" })
            Assert.True(message.Contains(expected, StringComparison.Ordinal), message);
    }

    [Fact]
    public async Task Serve_refuses_a_negative_rate_limit()
    {
        var (exit, output) = await FabricaCli.RunAsync("serve", "--rate-limit", "-1", "--data", _data.Path);
        Assert.NotEqual(0, exit);
        Assert.Contains("--rate-limit must not be negative", output);
    }

    [Fact]
    public async Task Serve_with_a_rate_limit_answers_429_with_responseCode_3_beyond_it()
    {
        using var data = new TempDirectory();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { ServerProcess.FabricaDll, "serve", "--data", data.Path, "--http-port", "0", "--mqtt-port", "0", "--handle-port", "0",
                     "--dns-port", "0", "--bind", "127.0.0.1", "--prefix", "88.100.12", "--rate-limit", "1" })
            start.ArgumentList.Add(arg);
        using var serve = Process.Start(start)!;
        try
        {
            var ready = "";
            using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
            {
                while (!ready.StartsWith("fabrica ready", StringComparison.Ordinal))
                    ready = await serve.StandardOutput.ReadLineAsync(deadline.Token) ?? throw new InvalidOperationException("serve exited: " + await serve.StandardError.ReadToEndAsync());
            }
            var port = ready.Split(' ').First(f => f.StartsWith("http=", StringComparison.Ordinal))[5..];
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            // 1/s with bursts of 2: of 12 requests sent at once, most are refused.
            var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => http.GetAsync("/api/handles/88.100.12/NONE")));
            var refused = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
            Assert.InRange(refused.Count, 1, 10);
            Assert.Equal("1", refused[0].Headers.RetryAfter?.ToString());
            Assert.Contains("\"responseCode\":3", await refused[0].Content.ReadAsStringAsync(), StringComparison.Ordinal);
            foreach (var answer in answers)
                answer.Dispose();
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync();
        }
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        _data.Dispose();
    }
}
