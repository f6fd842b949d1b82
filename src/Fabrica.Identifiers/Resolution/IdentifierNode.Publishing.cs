using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Signing;

namespace Fabrica.Identifiers.Resolution;

public sealed partial class IdentifierNode
{
    private readonly SemaphoreSlim _publishing = new(1, 1);

    /// <summary>
    /// After a write: on a root, a change of a prefix record is a change of root data, so the manifest is republished
    /// with the next serial (<see cref="RootData"/>).
    /// </summary>
    private async Task AfterWriteAsync(HandleName handle, CancellationToken cancellationToken)
    {
        if (Options.Role == NodeRole.Root && handle.IsPrefixRecord && handle != RootData.ManifestHandle)
            await PublishRootDataAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Signs a new manifest of this root's prefix records with the next serial and stores it in <c>0.NA/0.NA</c>.</summary>
    public async Task<long> PublishRootDataAsync(CancellationToken cancellationToken = default)
    {
        await _publishing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var existing = Store.Get(RootData.ManifestHandle);
            var serial = RootData.SerialOf(existing) + 1;
            var entries = RootData.Records(Store)
                .Select(r => RootData.SignatureDigest(r.Values) is { } digest ? new RootDataEntry(r.Handle.ToString(), digest) : null)
                .OfType<RootDataEntry>().ToList();
            var manifest = new HandleValue(RootData.ManifestIndex, RootData.ManifestType, RootData.Encode(serial, entries), HandleValue.DefaultTtl, NowSeconds());
            var values = (existing?.Values ?? []).Where(v => v.Index != RootData.ManifestIndex).Append(manifest);
            await Store.PutAsync(Seal(RootData.ManifestHandle, values, serial), overwrite: true, cancellationToken).ConfigureAwait(false);
            return serial;
        }
        finally
        {
            _publishing.Release();
        }
    }

    /// <summary>
    /// Keeps a record <c>0.NA/&lt;prefix&gt;</c> for each of this node's prefixes, as a Handle.Net server keeps its homed
    /// prefixes: HS_SITE (index 1) says where the node answers, HS_ADMIN (100) makes the holder of the node's key
    /// (HS_PUBKEY at 300) the prefix administrator for native administration. The parent's operator copies HS_SITE and
    /// HS_PUBKEY into the delegation record. Values an administrator added are kept; HS_SITE follows the bound port.
    /// </summary>
    public async Task PublishOwnPrefixRecordsAsync(SiteInfo site, CancellationToken cancellationToken = default)
    {
        if (Options.SigningKey is not { } key)
            return;
        foreach (var prefix in _prefixes)
        {
            var handle = HandleName.ForPrefix(prefix);
            var siteValue = new HandleValue(1, HandleTypes.Site, site.Encode());
            var existing = Store.Get(handle);
            if (existing?[1] is { } current && current.Data.Span.SequenceEqual(siteValue.Data.Span))
                continue;
            var values = existing?.Values.Where(v => v.Index != 1).ToList()
                ?? [new HandleValue(100, HandleTypes.Admin, new AdminRecord(handle.ToString(), Options.SignerIndex, AdminPermissions.All).Encode()),
                    Ed25519Keys.PublicKeyValue(Options.SignerIndex, key)];
            values.Insert(0, siteValue with { Timestamp = NowSeconds() });
            await Store.PutAsync(Seal(handle, values), overwrite: true, cancellationToken).ConfigureAwait(false);
        }
    }
}
