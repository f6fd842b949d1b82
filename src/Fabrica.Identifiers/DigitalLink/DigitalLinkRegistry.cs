using Fabrica.Identifiers.Mapping;
using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Native;
using Fabrica.Identifiers.Resolution;
using Fabrica.Identifiers.Schemes;

namespace Fabrica.Identifiers.DigitalLink;

/// <summary>
/// Manages the links of identified objects (REST <c>/api/v1/identifiers/links</c> and <c>fabrica id link</c>). A link
/// goes into the handle record its identifier maps to (an ALT_ID binding or a mapping rule); the record is created when
/// a rule names it but it does not exist yet, so that a GTIN's links need no prior registration.
/// </summary>
public sealed class DigitalLinkRegistry(IdentifierMapper mapper)
{
    private IdentifierNode Node => mapper.Node;

    /// <summary>The handle an identifier's links live in, or a reason why it has none.</summary>
    public (HandleName? Handle, RecognisedIdentifier? Identifier, string? Error) Target(string identifier)
    {
        if (!IdentifierRecognizer.TryRecognise(identifier, out var recognised, out var error))
            return (null, null, error);
        if (recognised.Gs1 is null)
            return (null, recognised, "Links belong to GS1 identifiers (Digital Link URI, element string, EPC or GTIN)");
        var handle = mapper.TargetHandle(recognised);
        return handle is null
            ? (null, recognised, "No mapping rule or ALT_ID binds this identifier to a handle of this node: add a GS1 company prefix rule first")
            : (handle, recognised, null);
    }

    /// <summary>The links stored for exactly this identifier (no walk up), with their value indexes.</summary>
    public IReadOnlyList<(int Index, Gs1Link Link, bool Public)> List(HandleName handle) =>
        Node.Store.Get(handle) is { } record
            ? [.. record.OfType(Gs1Link.ValueType).Select(v => Gs1Link.TryParse(v.Data.Span, out var l, out _) ? (v.Index, l, v.IsPublicReadable) : (v.Index, (Gs1Link?)null, false))
                .Where(x => x.Item2 is not null).Select(x => (x.Index, x.Item2!, x.Item3))]
            : [];

    /// <summary>
    /// Adds a link (or replaces the one with the same type, target and language). A link marked default takes the mark
    /// from the others, so there is always exactly one.
    /// </summary>
    public async Task<WriteOutcome> AddAsync(HandleName handle, Gs1Link link, bool isPublic = true, CancellationToken cancellationToken = default)
    {
        if (!Node.IsWritable(handle))
            return new WriteOutcome(ResponseCode.ServerNotResponsible, handle.ToString(), Message: "Server not responsible for handle");
        var permissions = isPublic ? ValuePermissions.Default : ValuePermissions.Default & ~ValuePermissions.PublicRead;
        var existing = Node.Store.Get(handle);
        var current = List(handle);
        var same = current.FirstOrDefault(c => c.Link.LinkType == link.LinkType && c.Link.Href == link.Href
            && (c.Link.HrefLang ?? []).SequenceEqual(link.HrefLang ?? []));
        var index = same.Link is not null ? same.Index : NextIndex(existing);
        var values = new List<HandleValue> { new(index, Gs1Link.ValueType, link.ToJson(), HandleValue.DefaultTtl, 0, permissions) };
        if (link.IsDefault)
        {
            values.AddRange(current.Where(c => c.Link.IsDefault && c.Index != index)
                .Select(c => new HandleValue(c.Index, Gs1Link.ValueType, (c.Link with { IsDefault = false }).ToJson(), HandleValue.DefaultTtl, 0,
                    existing![c.Index]!.Permissions)));
        }
        return existing is null
            ? await Node.PutRecordAsync(handle, values, overwrite: false, cancellationToken).ConfigureAwait(false)
            : await Node.PutValuesAsync(handle, values, overwrite: true, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the links of <paramref name="linkType"/> (all links when null).</summary>
    public async Task<WriteOutcome> RemoveAsync(HandleName handle, string? linkType, CancellationToken cancellationToken = default)
    {
        var wanted = linkType is null ? null : Gs1Link.NormalizeLinkType(linkType);
        var indexes = List(handle).Where(c => wanted is null || c.Link.LinkType == wanted).Select(c => c.Index).ToList();
        if (indexes.Count == 0)
            return new WriteOutcome(ResponseCode.ValuesNotFound, handle.ToString(), Message: "No such links");
        return await Node.RemoveValuesAsync(handle, indexes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Links use indexes 1000 and up, clear of part 1's reserved indexes and the mapping values (500–999).</summary>
    private static int NextIndex(HandleRecord? record) =>
        Math.Max(1000, (record?.Values ?? []).Where(v => v.Index >= 1000).Select(v => v.Index + 1).DefaultIfEmpty(1000).Max());
}
