using System.Text.Json;
using Fabrica.Identifiers.Schemes;
using Xunit.Abstractions;

namespace Fabrica.Identifiers.Tests.Schemes;

/// <summary>
/// Our Digital Link parser against GS1's npm <c>digital-link.js</c> over the committed corpus
/// (Schemes/Corpus/digital-link-corpus.tsv): both must give the corpus's expected validity (or the peer its documented
/// deviation), and for valid URIs the same primary key, qualifiers and query attributes.
/// </summary>
public sealed class DigitalLinkDifferentialTests(ITestOutputHelper output)
{
    private sealed record Entry(bool Valid, string Uri, string Why, bool? PeerValid);

    private static List<Entry> Corpus() =>
        [.. File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Schemes", "Corpus", "digital-link-corpus.tsv"))
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split('\t'))
            .Select(f => new Entry(f[0] == "valid", f[1], f[2], f.Length > 3 ? f[3].StartsWith("peer=valid", StringComparison.Ordinal) : null))];

    [Fact]
    public async Task Digital_link_js_and_our_parser_agree_on_validity_and_keys_over_the_corpus()
    {
        var corpus = Corpus();
        Assert.True(corpus.Count >= 60, "the corpus is committed with the tests");
        Assert.Contains(corpus, e => e.Valid);
        Assert.Contains(corpus, e => !e.Valid);
        var answers = await Gs1Peers.RunAsync("dl-driver.js", corpus.Select(e => e.Uri).ToList());
        for (var i = 0; i < corpus.Count; i++)
        {
            var entry = corpus[i];
            var ours = DigitalLinkUri.TryParse(entry.Uri, out var uri, out var error);
            Assert.True(ours == entry.Valid, $"ours: {entry.Uri} ({entry.Why}) expected {(entry.Valid ? "valid" : "invalid")}: {error}");
            var peer = answers[i];
            // For keys whose check digit the peer does not know, its isValid() is false whatever the value: use its grammar.
            var peerValid = peer.TryGetProperty("checkDigitKnown", out var known) && !known.GetBoolean()
                ? peer.GetProperty("grammar").GetBoolean()
                : peer.GetProperty("valid").GetBoolean();
            Assert.True(peerValid == (entry.PeerValid ?? entry.Valid), $"digital-link.js: {entry.Uri} ({entry.Why}) gave {peer}");
            if (!ours || entry.PeerValid is not null)
                continue;
            Assert.Equal(Map(peer.GetProperty("identifier")), new Dictionary<string, string> { [uri!.PrimaryKey.Ai] = uri.PrimaryKey.Value });
            Assert.Equal(Map(peer.GetProperty("qualifiers")), uri.Qualifiers.ToDictionary(q => q.Ai, q => q.Value));
            Assert.Equal(Map(peer.GetProperty("attributes")), uri.Query.ToDictionary(q => q.Key, q => q.Value));
        }
        output.WriteLine($"{corpus.Count} URIs: {corpus.Count(e => e.Valid)} valid, {corpus.Count(e => !e.Valid)} invalid, {corpus.Count(e => e.PeerValid is not null)} documented peer deviations");
    }

    /// <summary>digital-link.js leaves values percent-encoded (<c>a%2Fb</c>); ours are decoded. Compare decoded.</summary>
    private static Dictionary<string, string> Map(JsonElement element) =>
        element.EnumerateObject().ToDictionary(p => p.Name, p => Uri.UnescapeDataString(p.Value.GetString() ?? ""));

    [Fact]
    public void Formatting_writes_GTINs_as_14_digits_and_qualifiers_in_the_standard_order()
    {
        var uri = DigitalLinkUri.Parse("https://example.com/01/9506000134352/22/V%2F1/10/L1/21/S1?17=261231&linkType=gs1:pip");
        Assert.Equal("01", uri.PrimaryKey.Ai);
        Assert.Equal("09506000134352", uri.PrimaryKey.Value);
        Assert.Equal("/01/09506000134352/22/V%2F1/10/L1/21/S1", uri.Path);
        Assert.Equal(["/01/09506000134352/22/V%2F1/10/L1/21/S1", "/01/09506000134352/22/V%2F1/10/L1", "/01/09506000134352/22/V%2F1", "/01/09506000134352"], uri.WalkUp());
        Assert.Equal("(01)09506000134352(22)V/1(10)L1(21)S1(17)261231", uri.ToElementString().ToBracketed());
        var back = DigitalLinkUri.FromElementString(Gs1ElementString.Parse("(21)S1(10)L1(01)09506000134352(17)261231"), "https://id.example.com");
        Assert.Equal("https://id.example.com/01/09506000134352/10/L1/21/S1?17=261231", back.ToString());
    }
}
