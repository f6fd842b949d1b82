using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Resolution;

namespace Fabrica.Identifiers.Native.Admin;

/// <summary>
/// Decides whether an authenticated identity — the handle and index of its HS_PUBKEY — holds a permission on a
/// handle, from the HS_ADMIN values of the handle itself and of its prefix record <c>0.NA/&lt;prefix&gt;</c>
/// (RFC 3651 §3.2.1). An HS_ADMIN value names either the identity directly (index 0 = any index of that handle) or
/// an HS_VLIST value (RFC 3651 §3.2.3): an administrator group whose members are handle:index references, each an
/// identity or another group, as Handle.Net's <c>HS_VLIST</c> admin groups. Groups are followed at most
/// <see cref="MaxGroupDepth"/> deep and each group once, so a cycle of groups ends.
/// </summary>
/// <remarks>
/// The same check grants partner reads: a resolution that authenticates sees the values with the admin-read bit when
/// the identity has <see cref="AdminPermissions.ReadValue"/> — Handle.Net's "read value" permission — through an
/// HS_ADMIN value; a reader group is an HS_ADMIN with only that bit pointing at an HS_VLIST of partner keys.
/// </remarks>
public sealed class AdminAuthority(IdentifierNode node, Func<HandleName, CancellationToken, ValueTask<HandleRecord?>>? remoteLookup = null)
{
    /// <summary>How many groups deep membership is followed (Handle.Net bounds nesting too).</summary>
    public const int MaxGroupDepth = 4;

    /// <summary>True when <paramref name="identity"/> has every bit of <paramref name="needed"/> on <paramref name="handle"/>.</summary>
    public async ValueTask<bool> IsGrantedAsync(ValueReference identity, HandleName handle, AdminPermissions needed, CancellationToken cancellationToken = default)
    {
        if (!HandleName.TryParse(identity.Handle, out var identityHandle, out _))
            return false;
        var who = new ValueReference(identityHandle.ToString(), identity.Index);
        var sources = new List<HandleRecord>(2);
        if (node.Store.Get(handle) is { } own)
            sources.Add(own);
        if (await LookupAsync(HandleName.ForPrefix(handle.Prefix), cancellationToken).ConfigureAwait(false) is { } prefix)
            sources.Add(prefix);
        foreach (var value in sources.SelectMany(r => r.OfType(HandleTypes.Admin)))
        {
            if (TryDecode(value) is not { } admin || (admin.Permissions & needed) != needed)
                continue;
            if (await IsMemberAsync(who, new ValueReference(admin.AdminHandle, admin.AdminIndex), [], 0, cancellationToken).ConfigureAwait(false))
                return true;
        }
        return false;
    }

    /// <summary>Whether <paramref name="who"/> is <paramref name="reference"/> itself or a member of the group it points at.</summary>
    private async ValueTask<bool> IsMemberAsync(ValueReference who, ValueReference reference, HashSet<ValueReference> visited, int depth, CancellationToken cancellationToken)
    {
        if (!HandleName.TryParse(reference.Handle, out var target, out _))
            return false;
        var canonical = new ValueReference(target.ToString(), reference.Index);
        if (canonical.Handle == who.Handle && (canonical.Index == who.Index || canonical.Index == 0))
            return true;
        if (depth >= MaxGroupDepth || canonical.Index == 0 || !visited.Add(canonical))
            return false;
        var record = await LookupAsync(target, cancellationToken).ConfigureAwait(false);
        if (record?[canonical.Index] is not { } value || !HandleTypes.Matches(HandleTypes.ValueList, value.Type))
            return false;
        IReadOnlyList<ValueReference> members;
        try
        {
            members = ValueList.Decode(value.Data.Span);
        }
        catch (HandleProtocolException)
        {
            return false;
        }
        foreach (var member in members)
        {
            if (await IsMemberAsync(who, member, visited, depth + 1, cancellationToken).ConfigureAwait(false))
                return true;
        }
        return false;
    }

    private static AdminRecord? TryDecode(HandleValue value)
    {
        try
        {
            return AdminRecord.Decode(value.Data.Span);
        }
        catch (HandleProtocolException)
        {
            return null;
        }
    }

    /// <summary>A record held here, or (for keys and groups of other prefixes) one found through the hierarchy.</summary>
    public async ValueTask<HandleRecord?> LookupAsync(HandleName handle, CancellationToken cancellationToken) =>
        node.Store.Get(handle) ?? (remoteLookup is null ? null : await remoteLookup(handle, cancellationToken).ConfigureAwait(false));
}
