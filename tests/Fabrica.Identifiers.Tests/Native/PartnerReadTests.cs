using System.Text;
using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Native;
using Fabrica.Identifiers.Native.Admin;
using Fabrica.Identifiers.Resolution;
using Fabrica.Identifiers.Signing;
using Fabrica.Identifiers.Tests.Resolution;
using Fabrica.Security.Audit;
using Microsoft.Extensions.Logging.Abstractions;
using NSec.Cryptography;

namespace Fabrica.Identifiers.Tests.Native;

/// <summary>
/// Partner readers and administrator groups over real UDP/TCP. The enterprise node for 88.100.12 keeps a reader group
/// in its prefix record: HS_VLIST at 0.NA/88.100.12:200 listing the partner's key 88.100.12/PARTNER-ACME:300, and an
/// HS_ADMIN at 101 with only Handle.Net's "read value" bit pointing at that list. Administrator groups are HS_ADMIN
/// values pointing at HS_VLISTs too, possibly nested.
/// </summary>
public sealed class PartnerReadTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly HandleName Prefix = HandleName.ForPrefix("88.100.12");
    private static readonly HandleName Pump = HandleName.Parse("88.100.12/PUMP-77");
    private const string Secret = "BATCH-SECRET-5521";
    private const string NeverSent = "NOBODY-READS-THIS";
    private readonly string _auditDirectory = Path.Combine(Path.GetTempPath(), "fabrica-partner-audit-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly Key _partner = Ed25519Keys.Generate();
    private readonly Key _stranger = Ed25519Keys.Generate();
    private AuditLog _audit = null!;
    private LoopbackNode _node = null!;

    public async Task InitializeAsync()
    {
        _audit = await AuditLog.OpenAsync(_auditDirectory, TimeProvider.System, NullLogger<AuditLog>.Instance);
        _node = await LoopbackNode.StartAsync(NodeRole.Enterprise, ["88.100.12"], signer: "0.NA/88.100.12",
            processorOptions: node => new HandleProcessorOptions { Administration = new HandleAdministration(node, _audit) },
            publishOwnPrefixRecords: true);
        await Put(HandleName.Parse("88.100.12/PARTNER-ACME"), Ed25519Keys.PublicKeyValue(300, _partner));
        await Put(HandleName.Parse("88.100.12/STRANGER"), Ed25519Keys.PublicKeyValue(300, _stranger));
        await AddToPrefixRecord(
        [
            new HandleValue(200, HandleTypes.ValueList, ValueList.Encode([new ValueReference("88.100.12/PARTNER-ACME", 300)])),
            new HandleValue(101, HandleTypes.Admin, new AdminRecord(Prefix.ToString(), 200, AdminPermissions.ReadValue).Encode()),
        ]);
        await Put(Pump,
            HandleValue.Text(1, HandleTypes.Url, "https://example.com/pump/77"),
            HandleValue.Text(2, "batch", Secret, ValuePermissions.Restricted),
            HandleValue.Text(3, "note", NeverSent, ValuePermissions.None));
    }

    private async Task Put(HandleName handle, params HandleValue[] values) =>
        Assert.True((await _node.Node.PutRecordAsync(handle, values, overwrite: true)).Succeeded);

    /// <summary>The prefix record is the node's own (published at start), not writable through the write API: re-seal it as the host does.</summary>
    private async Task AddToPrefixRecord(HandleValue[] added)
    {
        var values = _node.Node.Store.Get(Prefix)!.Values.Where(v => v.Type != HandleTypes.Signature && added.All(a => a.Index != v.Index)).Concat(added);
        await _node.Node.Store.PutAsync(_node.Node.Seal(Prefix, values));
    }

    private static MessageHeader Header(OpFlags flags) => new(OpCode.Resolution, ResponseCode.Reserved, flags, 0, 0, 0, 0);

    private static byte[] Request(params int[] indexes) => MessageBodies.WriteResolutionRequest(new ResolutionRequest(Pump.ToString(), indexes, []));

    private static bool Contains(HandleMessage message, string text) =>
        message.Body.Span.IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    [Fact]
    public async Task Anonymous_resolution_gets_public_values_or_a_challenge_never_the_restricted_ones()
    {
        var client = new HandleClient(Timeout);
        var publicOnly = await client.SendAsync(_node.EndPoint, Header(OpFlags.PublicOnly), Request());
        Assert.Equal(ResponseCode.Success, publicOnly.Header.ResponseCode);
        Assert.Equal([1, RecordSignature.Index], MessageBodies.ReadHandleValues(publicOnly.Body.Span).Values.Select(v => v.Index));
        // Without PublicOnly (CNRI's ignoreRestrictedValues = false) the node challenges instead of answering.
        foreach (var indexes in new[] { Array.Empty<int>(), [2] })
        {
            var asked = await client.SendAsync(_node.EndPoint, Header(OpFlags.Authoritative), Request(indexes));
            Assert.Equal(ResponseCode.AuthenticationNeeded, asked.Header.ResponseCode);
            Assert.False(Contains(asked, Secret));
        }
        // A request that names only public values needs no authentication.
        var urlOnly = await client.SendAsync(_node.EndPoint, Header(OpFlags.None), Request(1));
        Assert.Equal(ResponseCode.Success, urlOnly.Header.ResponseCode);
    }

    [Fact]
    public async Task A_partner_in_the_reader_group_reads_restricted_values_by_key_and_the_read_is_audited()
    {
        var response = await new HandleAdminClient("88.100.12/PARTNER-ACME", 300, _partner, Timeout).ResolveAsync(_node.EndPoint, Pump.ToString());
        Assert.Equal(ResponseCode.Success, response.Header.ResponseCode);
        var values = MessageBodies.ReadHandleValues(response.Body.Span).Values;
        Assert.Equal(Secret, values.Single(v => v.Index == 2).DataText);
        Assert.DoesNotContain(values, v => v.Index == 3);
        Assert.False(Contains(response, NeverSent));
        await _audit.FlushAsync();
        var lines = string.Join("\n", Directory.GetFiles(_auditDirectory, "*.jsonl").Select(File.ReadAllText));
        Assert.Contains("\"action\":\"handle.read\"", lines, StringComparison.Ordinal);
        Assert.Contains("handle-key:88.100.12/PARTNER-ACME#300", lines, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_authenticated_key_outside_the_group_and_a_forged_answer_are_refused()
    {
        var stranger = await new HandleAdminClient("88.100.12/STRANGER", 300, _stranger, Timeout).ResolveAsync(_node.EndPoint, Pump.ToString());
        Assert.Equal(ResponseCode.InsufficientPermissions, stranger.Header.ResponseCode);
        Assert.False(Contains(stranger, Secret));
        // The stranger's key claiming to be the partner fails the signature check.
        var impostor = await new HandleAdminClient("88.100.12/PARTNER-ACME", 300, _stranger, Timeout).ResolveAsync(_node.EndPoint, Pump.ToString());
        Assert.Equal(ResponseCode.AuthenticationFailed, impostor.Header.ResponseCode);
        Assert.False(Contains(impostor, Secret));
    }

    [Fact]
    public async Task A_reader_group_grants_reading_only_not_writing()
    {
        var write = await new HandleAdminClient("88.100.12/PARTNER-ACME", 300, _partner, Timeout)
            .AddValuesAsync(_node.EndPoint, Pump, [HandleValue.Text(9, "note", "partner was here")]);
        Assert.Equal(ResponseCode.InsufficientPermissions, write.Header.ResponseCode);
        Assert.Null(_node.Node.Store.Get(Pump)![9]);
    }

    [Fact]
    public async Task An_administrator_group_in_HS_VLIST_nested_once_grants_its_members_the_HS_ADMIN_permissions()
    {
        using var operator_ = Ed25519Keys.Generate();
        await Put(HandleName.Parse("88.100.12/OPS-1"), Ed25519Keys.PublicKeyValue(300, operator_));
        var ops = new HandleAdminClient("88.100.12/OPS-1", 300, operator_, Timeout);
        var pump = HandleName.Parse("88.100.12/PUMP-78");
        Assert.Equal(ResponseCode.InsufficientPermissions,
            (await ops.CreateAsync(_node.EndPoint, pump, [HandleValue.Text(1, HandleTypes.Url, "https://example.com/78")])).Header.ResponseCode);

        // 0.NA/88.100.12:102 HS_ADMIN(add handle, add value) → :210 HS_VLIST [88.100.12/GROUPS:1] → HS_VLIST [OPS-1:300].
        await Put(HandleName.Parse("88.100.12/GROUPS"),
            new HandleValue(1, HandleTypes.ValueList, ValueList.Encode([new ValueReference("88.100.12/OPS-1", 300)])));
        await AddToPrefixRecord(
        [
            new HandleValue(210, HandleTypes.ValueList, ValueList.Encode([new ValueReference("88.100.12/GROUPS", 1), new ValueReference(Prefix.ToString(), 210)])),
            new HandleValue(102, HandleTypes.Admin, new AdminRecord(Prefix.ToString(), 210, AdminPermissions.AddHandle | AdminPermissions.AddValue).Encode()),
        ]);

        Assert.Equal(ResponseCode.Success,
            (await ops.CreateAsync(_node.EndPoint, pump, [HandleValue.Text(1, HandleTypes.Url, "https://example.com/78")])).Header.ResponseCode);
        // The group's HS_ADMIN has no delete bit, and the self-reference in the list does not loop.
        Assert.Equal(ResponseCode.InsufficientPermissions, (await ops.DeleteAsync(_node.EndPoint, pump)).Header.ResponseCode);
        Assert.NotNull(_node.Node.Store.Get(pump));
        Assert.False(await new AdminAuthority(_node.Node).IsGrantedAsync(new ValueReference("88.100.12/STRANGER", 300), pump, AdminPermissions.AddValue));
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _audit.DisposeAsync();
        _partner.Dispose();
        _stranger.Dispose();
        Directory.Delete(_auditDirectory, recursive: true);
    }
}
