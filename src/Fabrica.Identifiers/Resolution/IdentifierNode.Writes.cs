using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Native;

namespace Fabrica.Identifiers.Resolution;

/// <summary>The result of a change: a response code (RFC 3652 / Handle.Net) and, for creation, whether a record was new.</summary>
public sealed record WriteOutcome(ResponseCode Code, string Handle, bool Created = false, string? Message = null)
{
    public bool Succeeded => Code == ResponseCode.Success;
}

public sealed partial class IdentifierNode
{
    /// <summary>Creates or replaces a whole record (REST PUT without index; native create-handle with overwrite).</summary>
    public async Task<WriteOutcome> PutRecordAsync(HandleName handle, IReadOnlyList<HandleValue> values, bool overwrite, CancellationToken cancellationToken = default)
    {
        if (Check(handle, values) is { } refused)
            return refused;
        var now = NowSeconds();
        var record = Seal(handle, values.Select(v => v with { Timestamp = now }));
        var existed = Store.Get(handle) is not null;
        if (!await Store.PutAsync(record, overwrite, cancellationToken).ConfigureAwait(false))
            return new WriteOutcome(ResponseCode.HandleAlreadyExists, handle.ToString(), Message: "Handle already exists");
        await AfterWriteAsync(handle, cancellationToken).ConfigureAwait(false);
        return new WriteOutcome(ResponseCode.Success, handle.ToString(), Created: !existed);
    }

    /// <summary>Adds or replaces the given values of an existing record (REST PUT with index=; native add/modify value).</summary>
    public async Task<WriteOutcome> PutValuesAsync(HandleName handle, IReadOnlyList<HandleValue> values, bool overwrite, bool mustExist = false, CancellationToken cancellationToken = default)
    {
        if (Check(handle, values) is { } refused)
            return refused;
        var existing = Store.Get(handle);
        if (existing is null)
            return new WriteOutcome(ResponseCode.HandleNotFound, handle.ToString(), Message: "Handle not found");
        var indexes = values.Select(v => v.Index).ToHashSet();
        if (!overwrite && existing.Values.Any(v => indexes.Contains(v.Index)))
            return new WriteOutcome(ResponseCode.ValueAlreadyExists, handle.ToString(), Message: "Value already exists");
        if (mustExist && values.Any(v => existing[v.Index] is null))
            return new WriteOutcome(ResponseCode.ValuesNotFound, handle.ToString(), Message: "Values not found");
        var now = NowSeconds();
        // Replaced values keep their place; new ones go last, as Handle.Net orders a record.
        var replacements = values.ToDictionary(v => v.Index, v => v with { Timestamp = now });
        var merged = existing.Values.Select(v => replacements.Remove(v.Index, out var replacement) ? replacement : v)
            .Concat(values.Where(v => replacements.ContainsKey(v.Index)).Select(v => v with { Timestamp = now })).ToList();
        if (merged.Count > HandleRecord.MaxValues)
            return new WriteOutcome(ResponseCode.InvalidValue, handle.ToString(), Message: $"A handle has at most {HandleRecord.MaxValues} values");
        await Store.PutAsync(Seal(handle, merged), overwrite: true, cancellationToken).ConfigureAwait(false);
        await AfterWriteAsync(handle, cancellationToken).ConfigureAwait(false);
        return new WriteOutcome(ResponseCode.Success, handle.ToString());
    }

    public async Task<WriteOutcome> DeleteAsync(HandleName handle, CancellationToken cancellationToken = default)
    {
        if (!IsWritable(handle))
            return new WriteOutcome(ResponseCode.ServerNotResponsible, handle.ToString(), Message: "Server not responsible for handle");
        if (!await Store.DeleteAsync(handle, cancellationToken).ConfigureAwait(false))
            return new WriteOutcome(ResponseCode.HandleNotFound, handle.ToString(), Message: "Handle not found");
        await AfterWriteAsync(handle, cancellationToken).ConfigureAwait(false);
        return new WriteOutcome(ResponseCode.Success, handle.ToString());
    }

    public async Task<WriteOutcome> RemoveValuesAsync(HandleName handle, IReadOnlyCollection<int> indexes, CancellationToken cancellationToken = default)
    {
        if (!IsWritable(handle) && !IsOwnPrefixRecord(handle))
            return new WriteOutcome(ResponseCode.ServerNotResponsible, handle.ToString(), Message: "Server not responsible for handle");
        var existing = Store.Get(handle);
        if (existing is null)
            return new WriteOutcome(ResponseCode.HandleNotFound, handle.ToString(), Message: "Handle not found");
        if (!existing.Values.Any(v => indexes.Contains(v.Index)))
            return new WriteOutcome(ResponseCode.ValuesNotFound, handle.ToString(), Message: "Values not found");
        await Store.PutAsync(Seal(handle, existing.Values.Where(v => !indexes.Contains(v.Index))), overwrite: true, cancellationToken).ConfigureAwait(false);
        await AfterWriteAsync(handle, cancellationToken).ConfigureAwait(false);
        return new WriteOutcome(ResponseCode.Success, handle.ToString());
    }

    /// <summary>A suffix no record has yet, for Handle.Net's <c>mintNewSuffix</c>: 16 random base-32 characters.</summary>
    public HandleName MintHandle(string prefixWithSlash)
    {
        var prefix = prefixWithSlash.TrimEnd('/');
        while (true)
        {
            var candidate = HandleName.Parse(prefix + "/" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)));
            if (Store.Get(candidate) is null)
                return candidate;
        }
    }

    /// <summary>
    /// <c>0.NA/&lt;prefix&gt;</c> of one of this node's own prefixes: its parent is authoritative for it, but the node's own
    /// copy holds the prefix's administrators, administrator and reader groups (HS_ADMIN, HS_PUBKEY, HS_VLIST), as a
    /// Handle.Net server's homed prefix does, so values may be added to and changed in it here (it cannot be deleted).
    /// </summary>
    public bool IsOwnPrefixRecord(HandleName handle) =>
        handle.IsPrefixRecord && handle.DescribedPrefix is { } described && _prefixes.Contains(described);

    private WriteOutcome? Check(HandleName handle, IReadOnlyList<HandleValue> values)
    {
        if (!IsWritable(handle) && !IsOwnPrefixRecord(handle))
            return new WriteOutcome(ResponseCode.ServerNotResponsible, handle.ToString(), Message: "Server not responsible for handle");
        if (values.Count > HandleRecord.MaxValues)
            return new WriteOutcome(ResponseCode.InvalidValue, handle.ToString(), Message: $"A handle has at most {HandleRecord.MaxValues} values");
        var seen = new HashSet<int>();
        foreach (var value in values)
        {
            if (ValueProblem(value) is { } problem)
                return new WriteOutcome(ResponseCode.InvalidValue, handle.ToString(), Message: $"Value {value.Index}: {problem}");
            if (!seen.Add(value.Index))
                return new WriteOutcome(ResponseCode.InvalidValue, handle.ToString(), Message: $"Index {value.Index} appears twice");
        }
        return null;
    }

    /// <summary>Why a value cannot be stored, or null: index, type and the structured types' data must be well-formed.</summary>
    public static string? ValueProblem(HandleValue value)
    {
        if (value.Index <= 0)
            return "the index must be a positive integer";
        if (string.IsNullOrEmpty(value.Type) || value.Type.Length > HandleValueCodec.MaxTypeLength)
            return "the type must be 1 to 1024 characters";
        if (value.Data.Length > HandleValueCodec.MaxDataLength)
            return $"the data is larger than {HandleValueCodec.MaxDataLength} bytes";
        if (value.Ttl < 0)
            return "the TTL must not be negative";
        try
        {
            switch (value.Type)
            {
                case HandleTypes.Admin: AdminRecord.Decode(value.Data.Span); break;
                case HandleTypes.Site: SiteInfo.Decode(value.Data.Span); break;
                case HandleTypes.ValueList: ValueList.Decode(value.Data.Span); break;
            }
        }
        catch (HandleProtocolException e)
        {
            return $"malformed {value.Type} data: {e.Message}";
        }
        return null;
    }
}
