using System.Collections.Concurrent;
using System.Net;

namespace Fabrica.Identifiers.Limits;

/// <summary>Requests per second each client address may make, and how many it may send at once after a quiet spell.</summary>
public sealed record RateLimitOptions
{
    /// <summary>Sustained requests per second per client address; 0 turns limiting off.</summary>
    public double PerSecond { get; init; } = 1000;

    /// <summary>Bucket size: a client that has been quiet may send this many at once.</summary>
    public double Burst { get; init; } = 2000;

    /// <summary>Client addresses tracked; beyond this, full (idle) buckets are forgotten.</summary>
    public int MaxClients { get; init; } = 100_000;

    public static readonly RateLimitOptions Off = new() { PerSecond = 0 };
}

/// <summary>
/// A token bucket per client address, shared by every resolution front end of a node (UDP, TCP, HTTP): a client that
/// sends faster than <see cref="RateLimitOptions.PerSecond"/> beyond its burst gets "server too busy" (Handle response
/// code 3; HTTP 429) instead of an answer. Keyed by address, not port, so a client cannot escape by changing ports.
/// Time comes from <see cref="TimeProvider"/>, so tests need no sleeping.
/// </summary>
public sealed class ClientRateLimiter(RateLimitOptions options, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<IPAddress, Bucket> _buckets = new();

    public RateLimitOptions Options => options;

    public bool Enabled => options.PerSecond > 0;

    private sealed class Bucket(double tokens, long at)
    {
        public double Tokens = tokens;
        public long At = at;
    }

    /// <summary>Takes one token for <paramref name="client"/>; false when its bucket is empty.</summary>
    public bool TryAcquire(IPAddress client)
    {
        if (!Enabled)
            return true;
        var now = _time.GetTimestamp();
        if (!_buckets.TryGetValue(client, out var bucket))
        {
            if (_buckets.Count >= options.MaxClients)
                Forget(now);
            bucket = _buckets.GetOrAdd(client, static (_, s) => new Bucket(s.Burst, s.Now), (options.Burst, Now: now));
        }
        lock (bucket)
        {
            var elapsed = (now - bucket.At) / (double)_time.TimestampFrequency;
            bucket.Tokens = Math.Min(options.Burst, bucket.Tokens + elapsed * options.PerSecond);
            bucket.At = now;
            if (bucket.Tokens < 1)
                return false;
            bucket.Tokens -= 1;
            return true;
        }
    }

    /// <summary>Drops buckets that have refilled completely: forgetting them changes nothing for their clients.</summary>
    private void Forget(long now)
    {
        var full = options.Burst / options.PerSecond * _time.TimestampFrequency;
        foreach (var (address, bucket) in _buckets)
        {
            if (now - bucket.At >= full)
                _buckets.TryRemove(address, out _);
        }
    }
}
