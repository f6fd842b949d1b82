using System.Net;
using Fabrica.Interop.Tests.Infrastructure;
using Fabrica.Server.Hosting;

namespace Fabrica.Interop.Tests.Cli;

/// <summary>
/// <c>fabrica id map|link|alias|lookup</c> as a user runs them (the real CLI binary) against a real identifier node, then
/// the GS1 Digital Link resolver answering a scan with what the CLI registered.
/// </summary>
public sealed class IdLinkCommandTests
{
    [Fact]
    public async Task Links_rules_and_aliases_registered_with_the_CLI_drive_the_resolver()
    {
        using var data = new TempDirectory();
        await using var node = await IdentifierNodeServer.StartAsync(new FabricaServerOptions
        {
            DataDirectory = data.Path,
            HttpPort = 0,
            BindAddress = IPAddress.Loopback,
            Identifiers = new IdentifierNodeSettings { Prefixes = ["88.100.12"], HandlePort = 0 },
        });
        var server = $"http://127.0.0.1:{node.HttpPort}";
        var token = (await File.ReadAllTextAsync(Path.Combine(data.Path, "admin.token"))).Trim();
        async Task<string> Run(params string[] args)
        {
            var (exit, output) = await FabricaCli.RunAsync([.. args, "--server", server, "--token", token]);
            Assert.True(exit == 0, $"fabrica {string.Join(' ', args)} exited {exit}: {output}");
            return output;
        }

        await Run("id", "map", "gs1", "9506000", "88.100.12");
        await Run("id", "link", "add", "https://id.example.com/01/09506000134352", "--type", "gs1:pip", "--href", "https://example.com/pip", "--title", "Product", "--lang", "en", "--default");
        await Run("id", "link", "add", "(01)09506000134352(21)77", "--type", "gs1:dpp", "--href", "https://example.com/dpp/77");
        Assert.Contains("https://example.com/pip", await Run("id", "link", "list", "9506000134352"));
        await Run("id", "alias", "88.100.12/01/09506000134352/21/77", "ecode:21001200077");
        var lookup = await Run("id", "lookup", "ecode:21001200077");
        Assert.Contains("88.100.12/01/09506000134352/21/77", lookup);
        Assert.Contains("alternate", lookup);

        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(server) };
        using var scan = await http.GetAsync("/01/09506000134352/21/77?linkType=gs1:dpp&src=qr");
        Assert.Equal(HttpStatusCode.TemporaryRedirect, scan.StatusCode);
        Assert.Equal("https://example.com/dpp/77?src=qr", scan.Headers.Location?.ToString());

        await Run("id", "link", "remove", "9506000134352", "--type", "gs1:pip");
        using var gone = await http.GetAsync("/01/09506000134352");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        var (refused, message) = await FabricaCli.RunAsync("id", "link", "add", "https://id.example.com/01/09506000134353", "--type", "gs1:pip", "--href", "https://example.com/x", "--server", server, "--token", token);
        Assert.NotEqual(0, refused);
        // The console wraps long lines; compare with the line breaks folded.
        Assert.Contains("check digit", string.Join(' ', message.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
    }
}
