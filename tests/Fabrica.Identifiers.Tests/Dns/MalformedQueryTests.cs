using System.Buffers.Binary;
using Fabrica.Identifiers.Dns;
using Microsoft.Extensions.Time.Testing;
using static Fabrica.Identifiers.Tests.Dns.DnsTestMessages;

namespace Fabrica.Identifiers.Tests.Dns;

/// <summary>
/// Whatever arrives, the responder answers FORMERR (header only) or nothing, and never throws: the committed corpus
/// (Corpus/make-corpus.py), every prefix of valid queries, and a seeded mutation loop.
/// </summary>
public sealed class MalformedQueryTests
{
    private readonly DnsResponder _responder;

    public MalformedQueryTests()
    {
        var options = new DnsServerOptions();
        var table = new DnsRecordTable(DnsZones.For(options, new FakeTimeProvider()));
        var ons = IdentifierDnsNames.Ons("00614141322602", options.OnsRoot)!;
        table.Replace("a", [DnsRecord.Naptr(ons, 300, 0, 10, "U", "http://www.gs1.org/ons/epcis", DnsRecord.ReplaceAllWith("https://epcis.example.com/"))]);
        _responder = new DnsResponder(table, options);
    }

    private static readonly byte[][] ValidQueries =
    [
        Query(DnsResponderTests.OnsName, DnsType.Naptr),
        Query(DnsResponderTests.OnsName, DnsType.Naptr, ednsSize: 1232),
        Query("1.102.101818.156.16.2.oid-res.org", DnsType.Any, ednsSize: 4096),
        Query("nothing.hdl.fabrica.internal", DnsType.Txt),
    ];

    public static TheoryData<string> CorpusFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Dns", "Corpus"), "*.bin").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Corpus_message_gets_FORMERR_or_silence(string file)
    {
        var message = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Dns", "Corpus", file));
        foreach (var transport in new[] { DnsTransport.Udp, DnsTransport.Tcp })
            AssertFormErrOrSilence(message, transport);
    }

    [Fact]
    public void Corpus_is_present()
    {
        Assert.True(CorpusFiles().Count >= 20);
    }

    [Fact]
    public void Every_prefix_of_a_valid_query_gets_FORMERR_or_silence()
    {
        foreach (var query in ValidQueries)
        {
            for (var length = 0; length < query.Length; length++)
                AssertFormErrOrSilence(query[..length], DnsTransport.Udp);
            Assert.NotEqual(1, Rcode(Respond(query, DnsTransport.Udp)));
        }
    }

    [Fact]
    public void Seeded_mutations_never_throw_and_every_answer_is_a_well_formed_response()
    {
        var random = new Random(6053);
        for (var i = 0; i < 20_000; i++)
        {
            var message = Mutate(ValidQueries[random.Next(ValidQueries.Length)], random);
            foreach (var transport in new[] { DnsTransport.Udp, DnsTransport.Tcp })
            {
                var answer = Respond(message, transport);
                if (answer.Length == 0)
                {
                    Assert.True(message.Length < 12 || (message[2] & 0x80) != 0, $"silence for a query, seed 6053 iteration {i}");
                    continue;
                }
                Assert.True(IsResponse(answer));
                Assert.Equal(BinaryPrimitives.ReadUInt16BigEndian(message), Id(answer));
                Assert.True(transport == DnsTransport.Tcp || answer.Length <= 1232);
                Records(answer);
            }
        }
    }

    private static byte[] Mutate(byte[] query, Random random)
    {
        var bytes = new List<byte>(query);
        for (var n = random.Next(1, 5); n > 0; n--)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 2:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                case 3 when bytes.Count > 0:
                    bytes.RemoveAt(at);
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }
        return [.. bytes];
    }

    private byte[] Respond(byte[] message, DnsTransport transport)
    {
        var response = new byte[transport == DnsTransport.Tcp ? ushort.MaxValue : 1232];
        var length = _responder.Respond(message, response, transport, out _, out _);
        return response[..length];
    }

    private void AssertFormErrOrSilence(byte[] message, DnsTransport transport)
    {
        var answer = Respond(message, transport);
        if (answer.Length == 0)
            return;
        Assert.Equal(12, answer.Length);
        Assert.True(IsResponse(answer));
        Assert.Equal(1, Rcode(answer));
        Assert.Equal(BinaryPrimitives.ReadUInt16BigEndian(message), Id(answer));
        Assert.Equal(0, Count(answer, 0));
    }
}
