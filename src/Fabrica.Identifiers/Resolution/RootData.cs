using System.Buffers;
using System.Net;
using System.Security.Cryptography;
using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Native;
using Fabrica.Identifiers.Signing;
using NSec.Cryptography;

namespace Fabrica.Identifiers.Resolution;

/// <summary>One entry of the root data manifest: a prefix record and the SHA-256 of its HS_SIGNATURE data.</summary>
public sealed record RootDataEntry(string Handle, ReadOnlyMemory<byte> SignatureDigest);

/// <summary>
/// Root data: the prefix records (<c>0.NA/…</c>) a root holds, listed in a manifest with a serial, all signed by the
/// root key. The manifest is value <see cref="ManifestIndex"/> (type <see cref="ManifestType"/>) of <c>0.NA/0.NA</c>,
/// Handle.Net's root handle; its data is
/// <code>
///   Serial Int8 | Int4 count × (Handle UTF8-String, SHA-256 of that record's HS_SIGNATURE data, 32 bytes)
/// </code>
/// Because the manifest pins each record's signature, a peer can neither drop a record, add one, nor mix records of
/// two serials. A root with the key republishes the manifest with the next serial on every change of its prefix
/// records; peer roots copy root data whose serial is newer than theirs (<see cref="RootDataSync"/>).
/// </summary>
public static class RootData
{
    public const string ManifestType = "fabrica.rootdata";
    public const int ManifestIndex = 2;
    public static readonly HandleName ManifestHandle = HandleName.ForPrefix(HandleName.PrefixAuthority);

    public static byte[] Encode(long serial, IReadOnlyList<RootDataEntry> entries)
    {
        var buffer = new ArrayBufferWriter<byte>(16 + entries.Count * 64);
        var w = new WireWriter(buffer);
        w.WriteInt64(serial);
        w.WriteInt32(entries.Count);
        foreach (var entry in entries)
        {
            w.WriteString(entry.Handle);
            w.WriteRaw(entry.SignatureDigest.Span);
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static (long Serial, IReadOnlyList<RootDataEntry> Entries) Decode(ReadOnlySpan<byte> data)
    {
        var r = new WireReader(data);
        var serial = r.ReadInt64();
        var count = r.ReadCount(1_000_000, 36, "root data entries");
        var entries = new List<RootDataEntry>(count);
        for (var i = 0; i < count; i++)
            entries.Add(new RootDataEntry(r.ReadString(HandleName.MaxUtf8Length, "root data handle"), r.ReadFixed(32).ToArray()));
        r.ExpectEnd("root data manifest");
        return (serial, entries);
    }

    /// <summary>The manifest of a record of <c>0.NA/0.NA</c>, or null when it has none.</summary>
    public static (long Serial, IReadOnlyList<RootDataEntry> Entries)? ManifestOf(HandleRecord? record) =>
        record?[ManifestIndex] is { Type: ManifestType } value ? Decode(value.Data.Span) : null;

    public static long SerialOf(HandleRecord? record) => ManifestOf(record)?.Serial ?? 0;

    /// <summary>The SHA-256 of a record's HS_SIGNATURE data: what the manifest pins.</summary>
    public static byte[]? SignatureDigest(IEnumerable<HandleValue> values) =>
        values.FirstOrDefault(v => v.Type == HandleTypes.Signature) is { } signature ? SHA256.HashData(signature.Data.Span) : null;

    /// <summary>The records a root serves as root data: every prefix record but the manifest's own.</summary>
    public static IEnumerable<HandleRecord> Records(Store.HandleStore store) =>
        store.PrefixRecords.Where(r => r.Handle != ManifestHandle).OrderBy(r => r.Handle.ToString(), StringComparer.Ordinal);
}

/// <summary>What a synchronisation with a peer root did.</summary>
public sealed record RootSyncResult(bool Replaced, long LocalSerial, long PeerSerial, string? Problem = null);

/// <summary>
/// Copies root data from a peer root when the peer's serial is newer: fetches the manifest record over the native
/// protocol, checks it with the trust anchors, fetches every listed record and checks each against the anchors and the
/// manifest, and only then replaces the local root data (records first, the manifest last; prefix records no longer
/// listed are removed). Older or equal serials, and anything that does not verify, change nothing.
/// </summary>
public sealed class RootDataSync(IdentifierNode node, IReadOnlyList<PublicKey> anchors, TimeSpan timeout)
{
    private readonly HandleClient _client = new(timeout);

    public async Task<RootSyncResult> SyncFromAsync(IPEndPoint peer, CancellationToken cancellationToken = default)
    {
        var local = RootData.SerialOf(node.Store.Get(RootData.ManifestHandle));
        var manifestRecord = await FetchAsync(peer, RootData.ManifestHandle, cancellationToken).ConfigureAwait(false);
        if (manifestRecord is null)
            return new RootSyncResult(false, local, 0, $"{peer} has no root data");
        var check = RecordSignature.Verify(RootData.ManifestHandle, manifestRecord.Values, anchors.ToList());
        if (!check.Valid)
            return new RootSyncResult(false, local, 0, $"{peer}'s root data manifest: {check.Problem}");
        if (RootData.ManifestOf(manifestRecord) is not { } manifest)
            return new RootSyncResult(false, local, 0, $"{peer}'s 0.NA/0.NA carries no manifest");
        if (manifest.Serial <= local)
            return new RootSyncResult(false, local, manifest.Serial);
        var records = new List<HandleRecord>(manifest.Entries.Count);
        foreach (var entry in manifest.Entries)
        {
            if (!HandleName.TryParse(entry.Handle, out var handle, out _) || !handle.IsPrefixRecord)
                return new RootSyncResult(false, local, manifest.Serial, $"the manifest lists '{entry.Handle}', which is not a prefix record");
            var record = await FetchAsync(peer, handle, cancellationToken).ConfigureAwait(false);
            if (record is null)
                return new RootSyncResult(false, local, manifest.Serial, $"{peer} did not return {entry.Handle}");
            var recordCheck = RecordSignature.Verify(handle, record.Values, anchors.ToList());
            if (!recordCheck.Valid)
                return new RootSyncResult(false, local, manifest.Serial, $"{entry.Handle}: {recordCheck.Problem}");
            if (RootData.SignatureDigest(record.Values) is not { } digest || !digest.AsSpan().SequenceEqual(entry.SignatureDigest.Span))
                return new RootSyncResult(false, local, manifest.Serial, $"{entry.Handle} is not the record the manifest lists");
            records.Add(record);
        }
        var listed = records.Select(r => r.Handle).ToHashSet();
        foreach (var record in records)
            await node.Store.PutAsync(record, overwrite: true, cancellationToken).ConfigureAwait(false);
        foreach (var stale in RootData.Records(node.Store).Where(r => !listed.Contains(r.Handle)).ToList())
            await node.Store.DeleteAsync(stale.Handle, cancellationToken).ConfigureAwait(false);
        await node.Store.PutAsync(manifestRecord, overwrite: true, cancellationToken).ConfigureAwait(false);
        return new RootSyncResult(true, manifest.Serial, manifest.Serial);
    }

    private async Task<HandleRecord?> FetchAsync(IPEndPoint peer, HandleName handle, CancellationToken cancellationToken)
    {
        var header = new MessageHeader(OpCode.Resolution, ResponseCode.Reserved, OpFlags.DoNotRefer | OpFlags.PublicOnly, 0, 0, 0, 0);
        var response = await _client.SendAsync(peer, header, MessageBodies.WriteResolutionRequest(new ResolutionRequest(handle.ToString(), [], [])), cancellationToken).ConfigureAwait(false);
        if (response.Header.ResponseCode != ResponseCode.Success)
            return null;
        var body = MessageBodies.ReadHandleValues(response.Body.Span);
        return HandleRecord.Create(handle, body.Values);
    }
}
