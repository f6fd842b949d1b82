using System.Text;
using System.Text.Json;
using Fabrica.Platform.Ingest;
using static Fabrica.Platform.Tests.Ingest.ParserFixture;

namespace Fabrica.Platform.Tests.Ingest;

/// <summary>The parser meets hostile bytes: it must answer every one with samples or a rejection, never an exception.</summary>
public sealed class TelemetryPayloadParserRobustnessTests
{
    private static readonly IngestLimits Limits = new() { MaxStringValueLength = 32, MaxSamplesPerMessage = 64 };

    private static readonly string[] Corpus =
    [
        """{"temperature":71.2,"running":true}""",
        """{"ts":1764480000000,"values":{"temperature":71.2,"state":"RUN"}}""",
        """{"ts":"2025-11-30T08:00:00.123456+03:00","q":"uncertain","values":{"a":-1.5e3,"b":false}}""",
        """[{"ts":1764479000000.5,"values":{"a":1}},{"b":"x\"y"},{"values":{"c\u00e9":true},"q":"bad"}]""",
        """ [ { "values" : { "a" : 0 } , "ts" : "2025-11-30t05:00:00z" } ] """,
    ];

    public static TheoryData<string> ValidPayloads => [.. Corpus];

    [Theory]
    [MemberData(nameof(ValidPayloads))]
    public void Every_proper_prefix_of_a_valid_payload_is_rejected_without_throwing(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json.TrimEnd());
        Assert.True(TelemetryPayloadParser.Parse(bytes, Device, Now, Limits).IsAccepted);

        for (var length = 0; length < bytes.Length; length++)
        {
            var result = TelemetryPayloadParser.Parse(bytes.AsSpan(0, length), Device, Now, Limits);

            Assert.False(result.IsAccepted, $"accepted the prefix of {length} bytes: {json[..length]}");
            Assert.Empty(result.Samples);
        }
    }

    [Fact]
    public void Thousands_of_seeded_random_mutations_never_throw_and_what_is_accepted_is_well_formed()
    {
        var random = new Random(20251130);
        var corpus = Corpus.Select(Encoding.UTF8.GetBytes).ToArray();
        var accepted = 0;

        for (var iteration = 0; iteration < 5000; iteration++)
        {
            var payload = Mutate(random, corpus);
            TelemetryParseResult result;
            try
            {
                result = TelemetryPayloadParser.Parse(payload, Device, Now, Limits);
            }
            catch (Exception e)
            {
                Assert.Fail($"iteration {iteration} threw {e.GetType().Name} for {Convert.ToBase64String(payload)}: {e.Message}");
                return;
            }

            if (result.IsAccepted)
            {
                accepted++;
                AssertWellFormed(payload, result.Samples);
            }
            else
            {
                Assert.Empty(result.Samples);
                Assert.False(string.IsNullOrWhiteSpace(result.Rejection!.Message));
                Assert.True(Enum.IsDefined(result.Rejection.Reason));
            }
        }

        // The mutations must not be so wild that nothing gets through to the acceptance checks.
        Assert.InRange(accepted, 100, 4900);
    }

    private static void AssertWellFormed(byte[] payload, SeriesSample[] samples)
    {
        // Accepted bytes are one valid JSON document with exactly as many tag values as samples.
        using var document = JsonDocument.Parse(payload);
        Assert.Equal(CountValues(document.RootElement), samples.Length);
        Assert.InRange(samples.Length, 1, Limits.MaxSamplesPerMessage);

        foreach (var (series, sample) in samples)
        {
            Assert.Equal(Device, series.Device);
            Assert.True(NamingRules.IsValidTag(series.Tag), series.Tag);
            Assert.InRange(sample.Timestamp, Limits.MinTimestamp, Now + (long)Limits.MaxFutureSkew.TotalMilliseconds);
            Assert.True(Enum.IsDefined(sample.Quality));
            switch (sample.Value.Kind)
            {
                case ValueKind.Double:
                    Assert.True(double.IsFinite(sample.Value.AsDouble()));
                    break;
                case ValueKind.String:
                    Assert.InRange(sample.Value.AsString().Length, 0, Limits.MaxStringValueLength);
                    break;
                case ValueKind.Bool:
                    break;
                default:
                    Assert.Fail($"unexpected kind {sample.Value.Kind}");
                    break;
            }
        }

        // Parsing is a function of the bytes.
        Assert.Equal(samples, TelemetryPayloadParser.Parse(payload, Device, Now, Limits).Samples);
    }

    private static int CountValues(JsonElement root) => root.ValueKind == JsonValueKind.Array
        ? root.EnumerateArray().Sum(CountObject)
        : CountObject(root);

    private static int CountObject(JsonElement element) => element.TryGetProperty("values", out var values)
        ? values.EnumerateObject().Count()
        : element.EnumerateObject().Count();

    private static readonly byte[] Interesting = "{}[]\":,.-+0123456789eEtrufalsn \\/#u\x7f"u8.ToArray();

    private static byte[] Mutate(Random random, byte[][] corpus)
    {
        var bytes = new List<byte>(corpus[random.Next(corpus.Length)]);
        var edits = 1 + random.Next(3);
        for (var e = 0; e < edits; e++)
        {
            var at = random.Next(bytes.Count + 1);
            switch (random.Next(7))
            {
                case 0 when at < bytes.Count:
                    bytes[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 1:
                    bytes.Insert(at, Interesting[random.Next(Interesting.Length)]);
                    break;
                case 2 when at < bytes.Count:
                    bytes.RemoveAt(at);
                    break;
                case 3 when at < bytes.Count:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 4:
                    var other = corpus[random.Next(corpus.Length)];
                    var from = random.Next(other.Length);
                    bytes.InsertRange(at, other.Skip(from).Take(1 + random.Next(12)));
                    break;
                case 5 when at < bytes.Count:
                    // Swap a digit for another: shifts timestamps and numbers, keeps the syntax.
                    if (bytes[at] is >= (byte)'0' and <= (byte)'9')
                        bytes[at] = (byte)('0' + random.Next(10));
                    break;
                default:
                    break;
            }
        }
        return [.. bytes];
    }
}
