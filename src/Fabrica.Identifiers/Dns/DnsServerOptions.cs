using Fabrica.Identifiers.Limits;

namespace Fabrica.Identifiers.Dns;

/// <summary>The DNS front end: where it listens, which zones it serves, and how it bounds its work.</summary>
public sealed record DnsServerOptions
{
    /// <summary>UDP and TCP port (<c>--dns-port</c>): 8053 by default — not 53 (needs privileges) nor 5353 (mDNS); 0 = a free port.</summary>
    public int Port { get; init; } = DefaultPort;

    public const int DefaultPort = 8053;

    /// <summary>ONS root domain (ONS 2.0.1 §6): GTIN names are <c>&lt;digits&gt;.gtin.gs1.id.&lt;root&gt;</c>.</summary>
    public string OnsRoot { get; init; } = "onsepc.com";

    /// <summary>ORS zone (ITU-T X.672 §6): OID names are the arcs, reversed, under this zone.</summary>
    public string OrsZone { get; init; } = "oid-res.org";

    /// <summary>Zone of handle names: <c>&lt;suffix&gt;.&lt;prefix segments reversed&gt;.&lt;zone&gt;</c> (".internal" is reserved for private use).</summary>
    public string HandleZone { get; init; } = "hdl.fabrica.internal";

    /// <summary>NAPTR SERVICES for a record's URL values under an ONS name; values of type NAPTR name their own service.</summary>
    public string OnsService { get; init; } = "http://www.gs1.org/ons/html";

    /// <summary>NAPTR SERVICES for a record's URL values under an ORS name.</summary>
    public string OrsService { get; init; } = "RINF";

    /// <summary>Largest UDP answer, and the size our OPT advertises (1232: the DNS flag day 2020 value, no IP fragmentation).</summary>
    public int MaxUdpPayload { get; init; } = 1232;

    /// <summary>Per-source-address limit of DNS queries; off by default (a public resolver front end is usually behind one).</summary>
    public RateLimitOptions RateLimit { get; init; } = RateLimitOptions.Off;

    /// <summary>A TCP connection idle this long is closed (RFC 7766 §6.2.3 suggests seconds, not minutes).</summary>
    public TimeSpan TcpIdleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Open TCP connections at most; further ones are closed at once.</summary>
    public int MaxTcpConnections { get; init; } = 256;

    /// <summary>Largest TCP query accepted (the 2-byte length allows 65,535; a query needs far less).</summary>
    public int MaxTcpQueryBytes { get; init; } = 4096;

    /// <summary>On Linux, receive and send UDP in batches (recvmmsg/sendmmsg) on dedicated threads; otherwise one Socket call per datagram.</summary>
    public bool BatchedUdp { get; init; } = true;

    /// <summary>Concurrent UDP receive loops (one per core by default).</summary>
    public int UdpLoops { get; init; } = Environment.ProcessorCount;

    /// <summary>TTL of the SOA and MINIMUM, the time a resolver caches "no such name" (RFC 2308 §5).</summary>
    public uint NegativeTtl { get; init; } = 60;

    /// <summary>Upper bound of record TTLs taken from handle values (whose default is a day).</summary>
    public uint MaxTtl { get; init; } = 86400;
}
