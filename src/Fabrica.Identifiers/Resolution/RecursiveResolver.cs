using System.Collections.Concurrent;
using System.Net;
using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Native;
using Fabrica.Identifiers.Signing;
using NSec.Cryptography;

namespace Fabrica.Identifiers.Resolution;

/// <summary>Limits of the recursive resolver.</summary>
public sealed record ResolverOptions
{
    /// <summary>Referrals followed for one resolution before giving up (RFC 3652's recursion count, bounded).</summary>
    public int MaxReferrals { get; init; } = 8;

    /// <summary>Longest time anything is cached, whatever a value's TTL says (two days, like DNS resolvers' caps).</summary>
    public int MaxTtlSeconds { get; init; } = 172_800;

    /// <summary>How long "handle not found" is remembered.</summary>
    public int NegativeTtlSeconds { get; init; } = 60;

    public TimeSpan ServerTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Entries kept; the cache starts afresh when full.</summary>
    public int CacheCapacity { get; init; } = 100_000;
}

/// <summary>What a resolution produced, and whether the cache answered it.</summary>
public sealed record ResolvedHandle(ResponseCode Code, string Handle, IReadOnlyList<HandleValue> Values, bool FromCache, string? Problem = null)
{
    /// <summary>The values chosen by index or type (RFC 3652 §3.2.1), with the signature whenever any signed value is chosen.</summary>
    public IReadOnlyList<HandleValue> Select(IReadOnlyCollection<int> indexes, IReadOnlyCollection<string> types)
    {
        if (indexes.Count == 0 && types.Count == 0)
            return Values;
        var chosen = Values.Where(v => indexes.Contains(v.Index) || types.Any(t => HandleTypes.Matches(t, v.Type))).ToList();
        if (chosen.Count > 0 && !chosen.Any(v => v.Type == HandleTypes.Signature) && Values.FirstOrDefault(v => v.Type == HandleTypes.Signature) is { } signature)
            chosen.Add(signature);
        return chosen;
    }
}

/// <summary>
/// Resolves any handle through the hierarchy: asks a root (peer roots in turn, so one down changes nothing), follows
/// prefix referrals (303) from root to industry to enterprise node, and checks every record on the way with the
/// keys the level above vouched for — root data with the configured trust anchors, each delegation's HS_PUBKEY for
/// the level below. Results are cached for the smallest TTL of their values (0 = not cached, capped at
/// <see cref="ResolverOptions.MaxTtlSeconds"/>); "not found" is cached briefly; delegations are cached by prefix so a
/// second handle under a known prefix goes straight to its node. A referral back to a server already asked is a loop.
/// </summary>
public sealed class RecursiveResolver
{
    private readonly IReadOnlyList<IPEndPoint> _roots;
    private readonly IReadOnlyList<PublicKey> _anchors;
    private readonly ResolverOptions _options;
    private readonly HandleClient _client;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (long Expires, ResolvedHandle Result)> _answers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long Expires, Delegation Delegation)> _delegations = new(StringComparer.Ordinal);

    public RecursiveResolver(IReadOnlyList<IPEndPoint> roots, IReadOnlyList<PublicKey> trustAnchors, ResolverOptions? options = null, TimeProvider? time = null)
    {
        if (roots.Count == 0)
            throw new ArgumentException("At least one root is needed.", nameof(roots));
        _roots = roots;
        _anchors = trustAnchors;
        _options = options ?? new ResolverOptions();
        _client = new HandleClient(_options.ServerTimeout);
        _time = time ?? TimeProvider.System;
    }

    private sealed record Delegation(IReadOnlyList<IPEndPoint> Servers, IReadOnlyList<PublicKey> Keys);

    public void ClearCache()
    {
        _answers.Clear();
        _delegations.Clear();
    }

    public async Task<ResolvedHandle> ResolveAsync(string handleText, CancellationToken cancellationToken = default)
    {
        if (!HandleName.TryParse(handleText, out var handle, out var error))
            return new ResolvedHandle(ResponseCode.InvalidHandle, handleText, [], false, error);
        var key = handle.ToString();
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (_answers.TryGetValue(key, out var cached) && cached.Expires > now)
            return cached.Result with { FromCache = true };

        var (servers, keys) = StartingPoint(handle, now);
        var asked = new HashSet<IPEndPoint>();
        for (var referrals = 0; referrals <= _options.MaxReferrals; referrals++)
        {
            foreach (var server in servers)
                asked.Add(server);
            var response = await AskAnyAsync(servers, handle, cancellationToken).ConfigureAwait(false);
            if (response is null)
                return new ResolvedHandle(ResponseCode.ServerNotResponsible, key, [], false, "No server of the site answered");
            switch (response.Header.ResponseCode)
            {
                case ResponseCode.Success:
                {
                    var body = MessageBodies.ReadHandleValues(response.Body.Span);
                    var check = RecordSignature.Verify(handle, body.Values, keys);
                    if (!check.Valid)
                        return new ResolvedHandle(ResponseCode.InvalidValue, key, [], false, "Rejected: " + check.Problem);
                    // Asked with PublicOnly; should an upstream send more, it is neither cached nor passed on (the signature
                    // covers each value by digest, so the public ones still verify on their own).
                    var publicValues = body.Values.Where(v => v.IsPublicReadable).ToList();
                    var result = new ResolvedHandle(ResponseCode.Success, key, publicValues, false);
                    Remember(_answers, key, result, Ttl(publicValues), now);
                    return result;
                }
                case ResponseCode.PrefixReferral:
                {
                    var body = MessageBodies.ReadHandleValues(response.Body.Span);
                    if (!HandleName.TryParse(body.Handle, out var delegationName, out _) || delegationName.DescribedPrefix is not { } prefix
                        || !HandleName.IsUnder(handle.DescribedPrefix ?? handle.Prefix, prefix))
                        return new ResolvedHandle(ResponseCode.ProtocolError, key, [], false, $"Referral to '{body.Handle}', which is not above {key}");
                    var check = RecordSignature.Verify(delegationName, body.Values, keys);
                    if (!check.Valid)
                        return new ResolvedHandle(ResponseCode.InvalidValue, key, [], false, $"Rejected referral {body.Handle}: {check.Problem}");
                    var delegation = ToDelegation(key, body.Values);
                    if (delegation.Servers.Count == 0 || delegation.Servers.All(asked.Contains))
                        return new ResolvedHandle(ResponseCode.ProtocolError, key, [], false, $"Referral loop at {body.Handle}");
                    Remember(_delegations, prefix, delegation, Ttl(body.Values), now);
                    (servers, keys) = (delegation.Servers, delegation.Keys);
                    continue;
                }
                case ResponseCode.HandleNotFound:
                {
                    var result = new ResolvedHandle(ResponseCode.HandleNotFound, key, [], false, MessageBodies.ReadError(response.Body.Span));
                    Remember(_answers, key, result, _options.NegativeTtlSeconds, now);
                    return result;
                }
                default:
                    return new ResolvedHandle(response.Header.ResponseCode, key, [], false, MessageBodies.ReadError(response.Body.Span));
            }
        }
        return new ResolvedHandle(ResponseCode.RecursionCountTooHigh, key, [], false, $"More than {_options.MaxReferrals} referrals");
    }

    /// <summary>The deepest cached delegation above the handle, or the roots with the trust anchors.</summary>
    private (IReadOnlyList<IPEndPoint> Servers, IReadOnlyList<PublicKey> Keys) StartingPoint(HandleName handle, long now)
    {
        var prefix = handle.DescribedPrefix ?? handle.Prefix;
        var candidates = handle.IsPrefixRecord ? HandleName.Ancestors(prefix) : HandleName.Ancestors(prefix).Prepend(prefix);
        foreach (var candidate in candidates)
        {
            if (_delegations.TryGetValue(candidate, out var entry) && entry.Expires > now)
                return (entry.Delegation.Servers, entry.Delegation.Keys);
        }
        return (_roots, _anchors);
    }

    private async Task<HandleMessage?> AskAnyAsync(IReadOnlyList<IPEndPoint> servers, HandleName handle, CancellationToken cancellationToken)
    {
        var header = new MessageHeader(OpCode.Resolution, ResponseCode.Reserved, OpFlags.PublicOnly, 0, 0,
            (uint)(_time.GetUtcNow().ToUnixTimeSeconds() + 43200), 0);
        var body = MessageBodies.WriteResolutionRequest(new ResolutionRequest(handle.ToString(), [], []));
        foreach (var server in servers)
        {
            try
            {
                var response = await _client.SendAsync(server, header, body, cancellationToken).ConfigureAwait(false);
                if (response.Header.ResponseCode is not (ResponseCode.ServerTooBusy or ResponseCode.Error))
                    return response;
            }
            catch (Exception e) when (e is TimeoutException or HandleProtocolException)
            {
                // Next server (a peer root, another server of the site).
            }
        }
        return null;
    }

    /// <summary>Servers from the delegation's HS_SITE values (hash-chosen server first), keys from its Ed25519 HS_PUBKEY values.</summary>
    private static Delegation ToDelegation(string handle, IReadOnlyList<HandleValue> values)
    {
        var servers = new List<IPEndPoint>();
        foreach (var value in values.Where(v => v.Type == HandleTypes.Site))
        {
            var site = SiteInfo.Decode(value.Data.Span);
            if (site.Servers.Count == 0)
                continue;
            var first = SiteInfo.ServerIndex(handle, site.HashOption, site.Servers.Count);
            for (var i = 0; i < site.Servers.Count; i++)
            {
                if (site.Servers[(first + i) % site.Servers.Count].EndPointFor(SiteInterface.Transport.Udp) is { } endPoint)
                    servers.Add(endPoint);
            }
        }
        var keys = values.Where(v => v.Type == HandleTypes.PublicKey).Select(v => Ed25519Keys.FromHsPubKey(v.Data.Span)).OfType<PublicKey>().ToList();
        return new Delegation(servers, keys);
    }

    private int Ttl(IReadOnlyList<HandleValue> values)
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var ttl = values.Count == 0 ? 0 : values.Min(v => v.TtlType == TtlType.Absolute ? (int)Math.Max(0, v.Ttl - now) : v.Ttl);
        return Math.Clamp(ttl, 0, _options.MaxTtlSeconds);
    }

    private void Remember<T>(ConcurrentDictionary<string, (long, T)> cache, string key, T value, int ttlSeconds, long now)
    {
        if (ttlSeconds <= 0)
            return;
        if (cache.Count >= _options.CacheCapacity)
            cache.Clear();
        cache[key] = (now + ttlSeconds, value);
    }
}
