using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Fabrica.Identifiers.Dns;
using Fabrica.Identifiers.Limits;
using Microsoft.Extensions.Time.Testing;
using static Fabrica.Identifiers.Tests.Dns.DnsTestMessages;

namespace Fabrica.Identifiers.Tests.Dns;

/// <summary>The server over real sockets: malformed datagrams, TCP framing and pipelining, the per-source rate limit.</summary>
public sealed class DnsServerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static async Task<byte[]> AskUdpAsync(int port, byte[] query)
    {
        using var client = new UdpClient(AddressFamily.InterNetwork);
        client.Connect(IPAddress.Loopback, port);
        await client.SendAsync(query);
        using var timeout = new CancellationTokenSource(Patience);
        return (await client.ReceiveAsync(timeout.Token)).Buffer;
    }

    [Fact]
    public async Task Server_survives_the_malformed_corpus_over_UDP_and_answers_afterwards()
    {
        await using var fixture = await DnsServerFixture.StartAsync();
        using var client = new UdpClient(AddressFamily.InterNetwork);
        client.Connect(IPAddress.Loopback, fixture.Port);
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Dns", "Corpus"), "*.bin"))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            if (bytes.Length > 0)
                await client.SendAsync(bytes);
        }
        // Every FORMERR arrives before the answer to a valid query sent last (one socket, answered in order or not at all).
        await client.SendAsync(Query(DnsServerFixture.OrsName, DnsType.Naptr, id: 0x7777));
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var answer = (await client.ReceiveAsync(timeout.Token)).Buffer;
            if (Id(answer) == 0x7777)
            {
                Assert.Equal(0, Rcode(answer));
                Assert.Equal(2, Count(answer, 1));
                break;
            }
            Assert.Equal(1, Rcode(answer));
        }
    }

    [Fact]
    public async Task Tcp_answers_pipelined_queries_in_order_and_closes_on_an_impossible_length()
    {
        await using var fixture = await DnsServerFixture.StartAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, fixture.Port);
        var stream = tcp.GetStream();
        var first = Query(DnsServerFixture.PumpName, DnsType.Txt, id: 1);
        var second = Query("nope.hdl.fabrica.internal", DnsType.Txt, id: 2);
        var both = new List<byte>();
        foreach (var q in new[] { first, second })
            both.AddRange([(byte)(q.Length >> 8), (byte)q.Length, .. q]);
        // One write carrying both frames, split mid-frame by a second write, exercises the framing.
        await stream.WriteAsync(both.ToArray().AsMemory(0, 5));
        await stream.FlushAsync();
        await stream.WriteAsync(both.ToArray().AsMemory(5));
        using var timeout = new CancellationTokenSource(Patience);
        var a = await ReadFrameAsync(stream, timeout.Token);
        var b = await ReadFrameAsync(stream, timeout.Token);
        Assert.Equal((1, 0), (Id(a), Rcode(a)));
        Assert.Equal((2, 3), (Id(b), Rcode(b)));
        await stream.WriteAsync(new byte[] { 0, 3, 1, 2, 3 }, timeout.Token);
        Assert.Equal(0, await stream.ReadAsync(new byte[1], timeout.Token));
    }

    private static async Task<byte[]> ReadFrameAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var prefix = new byte[2];
        await stream.ReadExactlyAsync(prefix, cancellationToken);
        var frame = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        await stream.ReadExactlyAsync(frame, cancellationToken);
        return frame;
    }

    [Fact]
    public async Task Over_the_rate_limit_a_source_gets_truncated_answers_until_its_bucket_refills()
    {
        var time = new FakeTimeProvider();
        var options = new DnsServerOptions { RateLimit = new RateLimitOptions { PerSecond = 1, Burst = 2 } };
        await using var fixture = await DnsServerFixture.StartAsync(options, time);
        var query = Query(DnsServerFixture.OrsName, DnsType.Naptr);
        Assert.False(Truncated(await AskUdpAsync(fixture.Port, query)));
        Assert.False(Truncated(await AskUdpAsync(fixture.Port, query)));
        var limited = await AskUdpAsync(fixture.Port, query);
        Assert.True(Truncated(limited));
        Assert.Equal(0, Count(limited, 1));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(Truncated(await AskUdpAsync(fixture.Port, query)));
    }
}
