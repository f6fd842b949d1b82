using Fabrica.Identifiers.Schemes;
using Fabrica.Identifiers.Schemes.Epc;
using Xunit.Abstractions;

namespace Fabrica.Identifiers.Tests.Schemes;

/// <summary>
/// A seeded mutation loop over the parsers (the fixed-budget fuzzing TOOLCHAIN-NOTES describes): corpus entries and
/// EPC encodings with bytes flipped, inserted and cut. Nothing may throw; whatever is accepted must format back to
/// something that parses to the same value.
/// </summary>
public sealed class SchemeRobustnessTests(ITestOutputHelper output)
{
    private const string Alphabet = "0123456789/()?&=%.:-_abcXYZ \u001D]#~+";

    [Fact]
    public void Mutated_identifiers_are_accepted_consistently_or_refused_with_a_reason_never_thrown()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FABRICA_TEST_SEED"), out var fixedSeed) ? fixedSeed : Environment.TickCount;
        output.WriteLine($"seed {seed} (FABRICA_TEST_SEED replays it)");
        var random = new Random(seed);
        var seeds = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Schemes", "Corpus", "digital-link-corpus.tsv"))
            .Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('\t')[1])
            .Concat(["(01)09506000134352(10)AB(C)1(21)S1", "]d2010950600013435217261231" + "10AB\u001D21S1", "urn:epc:id:sgtin:0614141.812345.6789",
                "urn:epc:tag:sscc-96:2.0614141.1234567890", "3074257BF7194E4000001A85", "urn:oid:1.2.156.101818.2.16", "ecode:0100212345678901234567890", "88.100.12/PUMP-1"])
            .ToList();
        var accepted = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var text = Mutate(random, seeds[random.Next(seeds.Count)]);
            if (!IdentifierRecognizer.TryRecognise(text, out var id, out var error))
            {
                Assert.False(string.IsNullOrWhiteSpace(error));
                continue;
            }
            accepted++;
            Assert.NotEmpty(id.Keys);
            if (id.Scheme == IdentifierScheme.Gs1DigitalLink)
            {
                var uri = DigitalLinkUri.Parse(text.Trim()); // the recogniser trims surrounding white space
                Assert.True(DigitalLinkUri.TryParse(uri.ToString(), out var again, out var problem), $"{text} → {uri} does not parse again: {problem}");
                Assert.Equal(uri.Path, again.Path);
            }
            if (id.Gs1 is { } elements)
                Assert.Equal(elements.ToBracketed(), Gs1ElementString.Parse(elements.ToBracketed()).ToBracketed());
        }
        output.WriteLine($"{accepted} of 20000 mutants accepted");
    }

    [Fact]
    public void Random_96_bit_words_decode_to_a_tag_that_encodes_back_to_the_same_bits_or_are_refused()
    {
        var random = new Random(Environment.TickCount);
        var bytes = new byte[12];
        var decoded = 0;
        for (var i = 0; i < 50_000; i++)
        {
            random.NextBytes(bytes);
            bytes[0] = (byte)(0x30 + random.Next(5)); // mostly known headers, 0x32 unknown
            if (bytes[0] == 0x31)
                bytes[9] = bytes[10] = bytes[11] = 0; // SSCC-96's unallocated bits
            if (!Epc96.TryDecode(bytes, out var tag, out var error))
            {
                Assert.NotNull(error);
                continue;
            }
            decoded++;
            var again = Epc96.Encode(tag);
            Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(again));
        }
        Assert.True(decoded > 1000, $"only {decoded} decoded");
    }

    private static string Mutate(Random random, string text)
    {
        var chars = text.ToList();
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var at = chars.Count == 0 ? 0 : random.Next(chars.Count);
            switch (random.Next(4))
            {
                case 0 when chars.Count > 0: chars[at] = Alphabet[random.Next(Alphabet.Length)]; break;
                case 1: chars.Insert(at, Alphabet[random.Next(Alphabet.Length)]); break;
                case 2 when chars.Count > 0: chars.RemoveAt(at); break;
                default: chars = chars.Take(at).ToList(); break;
            }
        }
        return new string([.. chars]);
    }
}
