using System.Diagnostics.Metrics;

namespace Fabrica.Identifiers.Limits;

/// <summary>
/// Metrics of the identifier node (meter <c>Fabrica.Identifiers</c>, exported for Prometheus by the host): requests
/// answered and requests refused by the rate limit, per front end (<c>udp</c>, <c>tcp</c>, <c>http</c>).
/// </summary>
public static class IdentifierMetrics
{
    public const string MeterName = "Fabrica.Identifiers";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Requests = Meter.CreateCounter<long>("fabrica.identifiers.requests", "{request}", "Identifier requests answered, by front end");

    private static readonly Counter<long> Limited = Meter.CreateCounter<long>("fabrica.identifiers.rate_limited", "{request}", "Identifier requests refused as 'server too busy' by the per-client rate limit");

    private static readonly Counter<long> Recursive = Meter.CreateCounter<long>("fabrica.identifiers.recursive_resolutions", "{resolution}", "Resolutions of handles this node does not serve, through the hierarchy");

    public static void Answered(string frontEnd) => Requests.Add(1, new KeyValuePair<string, object?>("frontend", frontEnd));

    public static void RateLimited(string frontEnd) => Limited.Add(1, new KeyValuePair<string, object?>("frontend", frontEnd));

    public static void ResolvedRecursively(bool fromCache) => Recursive.Add(1, new KeyValuePair<string, object?>("cache", fromCache ? "hit" : "miss"));
}
