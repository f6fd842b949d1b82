using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Native;
using Fabrica.Identifiers.Signing;
using Fabrica.Identifiers.Store;
using NSec.Cryptography;

namespace Fabrica.Identifiers.Resolution;

/// <summary>The part a node plays in the hierarchy (ARCHITECTURE.md §6): the root holds <c>0.NA/</c> delegations of top prefixes.</summary>
public enum NodeRole
{
    Enterprise = 0,
    Industry = 1,
    Root = 2,
}

/// <summary>What a node is and owns. The host fills it from <c>--prefix</c>, <c>--role</c> and key files.</summary>
public sealed record IdentifierNodeOptions
{
    public NodeRole Role { get; init; } = NodeRole.Enterprise;

    /// <summary>Prefixes this node is authoritative for (and everything under them that it has not delegated).</summary>
    public IReadOnlyList<string> Prefixes { get; init; } = [];

    /// <summary>The prefix owner's key: every record this node writes is signed with it. Null = records are stored unsigned.</summary>
    public Key? SigningKey { get; init; }

    /// <summary>Where the signing key's HS_PUBKEY lives, named in each signature (e.g. <c>0.NA/88.100.12</c>, index 300).</summary>
    public string SignerHandle { get; init; } = "0.NA/0.NA";

    public int SignerIndex { get; init; } = 300;

    /// <summary>Serial written into signatures (root data carries it; a newer serial replaces an older one).</summary>
    public long SignatureSerial { get; init; } = 1;
}

/// <summary>An answer of the node to one resolution: a response code, the values (already filtered), and for referrals the delegation record.</summary>
public sealed record NodeAnswer(ResponseCode Code, string Handle, IReadOnlyList<HandleValue> Values, string? Message = null)
{
    public static NodeAnswer Error(ResponseCode code, string handle, string message) => new(code, handle, [], message);
}

/// <summary>
/// One identifier node's authoritative logic, shared by every front end (REST, native UDP/TCP): which handles it
/// answers, which it refers elsewhere (a <c>0.NA/</c> delegation record for a more specific prefix than its own
/// authority), value filtering by index, type and read permission, and writes with signing.
/// </summary>
public sealed partial class IdentifierNode
{
    private readonly string[] _prefixes;

    public IdentifierNode(HandleStore store, IdentifierNodeOptions options, TimeProvider? time = null)
    {
        Store = store;
        Options = options;
        Time = time ?? TimeProvider.System;
        _prefixes = options.Prefixes.Select(p => HandleName.NormalizePrefix(p) ?? throw new ArgumentException($"'{p}' is not a valid prefix.", nameof(options))).ToArray();
    }

    public HandleStore Store { get; }

    public IdentifierNodeOptions Options { get; }

    public TimeProvider Time { get; }

    public IReadOnlyList<string> Prefixes => _prefixes;

    /// <summary>
    /// Resolves a handle held here. <paramref name="publicOnly"/> drops values without the public-read bit (anonymous
    /// callers always get that). Counts the resolution for the prefix's statistics.
    /// </summary>
    public NodeAnswer Resolve(string handleText, IReadOnlyCollection<int> indexes, IReadOnlyCollection<string> types, bool publicOnly)
    {
        if (!HandleName.TryParse(handleText, out var handle, out var error))
            return NodeAnswer.Error(ResponseCode.InvalidHandle, handleText, error);
        var record = Store.Get(handle);
        if (record is null)
        {
            return Authority(handle) switch
            {
                // A referral names the delegation record whose values it carries, so that its signature can be checked.
                (_, { } delegation) => new NodeAnswer(ResponseCode.PrefixReferral, delegation.Handle.ToString(), delegation.Values.Where(v => v.IsPublicReadable).ToList(), $"Referred to {delegation.Handle}"),
                (true, _) => NodeAnswer.Error(ResponseCode.HandleNotFound, handleText, "Handle not found"),
                _ => NodeAnswer.Error(ResponseCode.ServerNotResponsible, handleText, "Server not responsible for handle"),
            };
        }
        Store.Statistics.Count(handle.IsPrefixRecord ? HandleName.PrefixAuthority : handle.Prefix);
        var values = Chosen(record, indexes, types, publicOnly);
        return values.Count == 0
            ? new NodeAnswer(ResponseCode.ValuesNotFound, handleText, [], "Values not found")
            : new NodeAnswer(ResponseCode.Success, handleText, values);
    }

    /// <summary>
    /// The record held here for <paramref name="handleText"/>, counted in the resolution statistics as
    /// <see cref="Resolve"/> counts it; null when it is not held here (the caller then asks <see cref="Resolve"/>, which
    /// answers not-found, referral or not-responsible). Lets a front end reuse an answer encoded for this immutable record.
    /// </summary>
    public HandleRecord? ResolveHeld(string handleText)
    {
        if (!HandleName.TryParse(handleText, out var handle, out _) || Store.Get(handle) is not { } record)
            return null;
        Store.Statistics.Count(handle.IsPrefixRecord ? HandleName.PrefixAuthority : handle.Prefix);
        return record;
    }

    /// <summary>The values a resolution returns: selected by index/type, public ones only if asked, plus the signature.</summary>
    public static List<HandleValue> Chosen(HandleRecord record, IReadOnlyCollection<int> indexes, IReadOnlyCollection<string> types, bool publicOnly)
    {
        var values = record.Select(indexes, types).Where(v => !publicOnly || v.IsPublicReadable).ToList();
        // The signature covers each value by digest; send it whenever any signed value goes out.
        if (values.Count > 0 && !values.Any(v => v.Type == HandleTypes.Signature) && record.OfType(HandleTypes.Signature).FirstOrDefault() is { } signature)
            values.Add(signature);
        return values;
    }

    /// <summary>
    /// Does this node answer for <paramref name="handle"/> (authoritative), and is there a more specific delegation
    /// record (<c>0.NA/A</c> held here, A equal to or above the handle's prefix and below this node's own authority)
    /// that sends the client elsewhere?
    /// </summary>
    public (bool Authoritative, HandleRecord? Delegation) Authority(HandleName handle)
    {
        var prefix = handle.DescribedPrefix ?? handle.Prefix;
        var strict = handle.IsPrefixRecord;
        var authority = -1;
        if (Options.Role == NodeRole.Root && handle.IsPrefixRecord)
            authority = 0;
        foreach (var own in _prefixes)
        {
            if (HandleName.IsUnder(prefix, own) && !(strict && prefix == own))
                authority = Math.Max(authority, own.Length);
        }
        HandleRecord? delegation = null;
        var candidates = strict ? HandleName.Ancestors(prefix) : HandleName.Ancestors(prefix).Prepend(prefix);
        foreach (var candidate in candidates)
        {
            if (candidate.Length <= authority)
                break;
            if (Store.Get(HandleName.ForPrefix(candidate)) is { } found && found.OfType(HandleTypes.Site).Any())
            {
                delegation = found;
                break;
            }
        }
        return (authority >= 0, delegation);
    }

    /// <summary>May this node change <paramref name="handle"/>: authoritative and not delegated further down?</summary>
    public bool IsWritable(HandleName handle) => Authority(handle) is (true, null);

    internal long NowSeconds() => Time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>The record as stored: values time-stamped now where new or changed, and signed if this node has a key.</summary>
    internal HandleRecord Seal(HandleName handle, IEnumerable<HandleValue> values, long? serial = null)
    {
        var record = HandleRecord.Create(handle, values.Where(v => v.Type != HandleTypes.Signature));
        return Options.SigningKey is { } key
            ? RecordSignature.Sign(record, key, Options.SignerHandle, Options.SignerIndex, serial ?? Options.SignatureSerial, NowSeconds())
            : record;
    }
}
