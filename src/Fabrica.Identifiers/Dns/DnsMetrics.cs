using System.Diagnostics.Metrics;
using Fabrica.Identifiers.Limits;

namespace Fabrica.Identifiers.Dns;

/// <summary>
/// Counters of the DNS front end (meter <c>Fabrica.Identifiers</c>, exported with the other identifier metrics):
/// answers by transport and response code, malformed messages, truncated answers and rate-limited queries.
/// Tags are preallocated so that counting on the hot path allocates nothing.
/// </summary>
internal static class DnsMetrics
{
    private static readonly Meter Meter = new(IdentifierMetrics.MeterName);

    private static readonly Counter<long> Answers = Meter.CreateCounter<long>("fabrica.identifiers.dns.answers", "{message}", "DNS answers sent, by transport and response code");

    private static readonly Counter<long> Malformed = Meter.CreateCounter<long>("fabrica.identifiers.dns.malformed", "{message}", "DNS messages refused as malformed (FORMERR) or dropped (shorter than a header, or not a query)");

    private static readonly Counter<long> Truncated = Meter.CreateCounter<long>("fabrica.identifiers.dns.truncated", "{message}", "UDP answers sent truncated (TC) because they exceeded the client's size");

    private static readonly Counter<long> Limited = Meter.CreateCounter<long>("fabrica.identifiers.dns.rate_limited", "{message}", "DNS queries over the per-source rate limit, answered truncated so the client retries over TCP");

    private static readonly KeyValuePair<string, object?>[] TransportTags =
        [new("transport", "udp"), new("transport", "tcp")];

    private static readonly KeyValuePair<string, object?>[] CodeTags =
        [.. Enumerable.Range(0, 16).Select(c => new KeyValuePair<string, object?>("rcode", ((DnsResponseCode)c).ToString().ToUpperInvariant()))];

    public static void Answered(DnsTransport transport, DnsResponseCode code) =>
        Answers.Add(1, TransportTags[(int)transport], CodeTags[(int)code & 0xF]);

    public static void MalformedMessage(DnsTransport transport) => Malformed.Add(1, TransportTags[(int)transport]);

    public static void TruncatedAnswer() => Truncated.Add(1);

    public static void RateLimited() => Limited.Add(1);
}
