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
/// Opcodes 100–104 over real TCP against an enterprise node for 88.100.12 whose prefix record names the holder of its
/// key (0.NA/88.100.12, index 300) as administrator; every attempt lands in the real audit log.
/// </summary>
public sealed class NativeAdministrationTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly string _auditDirectory = Path.Combine(Path.GetTempPath(), "fabrica-admin-audit-" + Guid.NewGuid().ToString("N")[..12]);
    private AuditLog _audit = null!;
    private LoopbackNode _enterprise = null!;
    private static readonly HandleName Pump = HandleName.Parse("88.100.12/PUMP-9");

    public async Task InitializeAsync()
    {
        _audit = await AuditLog.OpenAsync(_auditDirectory, TimeProvider.System, NullLogger<AuditLog>.Instance);
        _enterprise = await LoopbackNode.StartAsync(NodeRole.Enterprise, ["88.100.12"], signer: "0.NA/88.100.12",
            processorOptions: node => new HandleProcessorOptions { Administration = new HandleAdministration(node, _audit) },
            publishOwnPrefixRecords: true);
    }

    private HandleAdminClient Admin(Key key, int index = 300, string handle = "0.NA/88.100.12") => new(handle, index, key, Timeout);

    [Fact]
    public async Task The_prefix_administrator_creates_changes_and_deletes_a_handle_over_the_native_protocol()
    {
        var admin = Admin(_enterprise.Key);
        var server = _enterprise.EndPoint;
        var created = await admin.CreateAsync(server, Pump, [HandleValue.Text(1, HandleTypes.Url, "https://example.com/pump/9")]);
        Assert.Equal(ResponseCode.Success, created.Header.ResponseCode);
        Assert.Equal(Pump.ToString(), MessageBodies.ReadHandle(created.Body.Span));
        Assert.Equal(ResponseCode.HandleAlreadyExists, (await admin.CreateAsync(server, Pump, [HandleValue.Text(1, HandleTypes.Url, "x")])).Header.ResponseCode);

        Assert.Equal(ResponseCode.Success, (await admin.AddValuesAsync(server, Pump, [HandleValue.Text(2, "batch", "B-9", ValuePermissions.Restricted)])).Header.ResponseCode);
        Assert.Equal(ResponseCode.Success, (await admin.ModifyValuesAsync(server, Pump, [HandleValue.Text(1, HandleTypes.Url, "https://example.com/pump/9b")])).Header.ResponseCode);
        Assert.Equal(ResponseCode.ValuesNotFound, (await admin.ModifyValuesAsync(server, Pump, [HandleValue.Text(7, HandleTypes.Url, "nope")])).Header.ResponseCode);
        var record = _enterprise.Node.Store.Get(Pump)!;
        Assert.Equal("https://example.com/pump/9b", record[1]!.DataText);
        Assert.Equal("B-9", record[2]!.DataText);
        Assert.NotNull(record[RecordSignature.Index]);

        Assert.Equal(ResponseCode.Success, (await admin.RemoveValuesAsync(server, Pump, [2])).Header.ResponseCode);
        Assert.Null(_enterprise.Node.Store.Get(Pump)![2]);
        Assert.Equal(ResponseCode.Success, (await admin.DeleteAsync(server, Pump)).Header.ResponseCode);
        Assert.Null(_enterprise.Node.Store.Get(Pump));

        await _audit.FlushAsync();
        var lines = string.Join("\n", Directory.GetFiles(_auditDirectory, "*.jsonl").Select(File.ReadAllText));
        foreach (var action in new[] { "handle.create", "handle.add-value", "handle.modify-value", "handle.remove-value", "handle.delete" })
            Assert.Contains($"\"action\":\"{action}\"", lines, StringComparison.Ordinal);
        Assert.Contains("\"actor\":\"handle-key:0.NA/88.100.12#300\"", lines, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_that_is_not_the_one_in_HS_PUBKEY_fails_authentication_and_is_audited()
    {
        using var stranger = Ed25519Keys.Generate();
        var refused = await Admin(stranger).CreateAsync(_enterprise.EndPoint, Pump, [HandleValue.Text(1, HandleTypes.Url, "https://evil.example")]);
        Assert.Equal(ResponseCode.AuthenticationFailed, refused.Header.ResponseCode);
        Assert.Equal(OpCode.CreateHandle, refused.Header.OpCode);
        Assert.Null(_enterprise.Node.Store.Get(Pump));
        await _audit.FlushAsync();
        var lines = string.Join("\n", Directory.GetFiles(_auditDirectory, "*.jsonl").Select(File.ReadAllText));
        Assert.Contains("\"outcome\":\"denied\"", lines, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_administrator_without_the_needed_permission_is_refused()
    {
        // A second key at index 301 of the prefix record, administrator with "add value" only.
        using var clerk = Ed25519Keys.Generate();
        var prefix = HandleName.ForPrefix("88.100.12");
        var values = _enterprise.Node.Store.Get(prefix)!.Values.Where(v => v.Type != HandleTypes.Signature)
            .Append(Ed25519Keys.PublicKeyValue(301, clerk))
            .Append(new HandleValue(101, HandleTypes.Admin, new AdminRecord(prefix.ToString(), 301, AdminPermissions.AddValue).Encode()));
        await _enterprise.Node.Store.PutAsync(_enterprise.Node.Seal(prefix, values));
        var refused = await Admin(clerk, 301).CreateAsync(_enterprise.EndPoint, Pump, [HandleValue.Text(1, HandleTypes.Url, "https://example.com")]);
        Assert.Equal(ResponseCode.InsufficientPermissions, refused.Header.ResponseCode);
        Assert.Null(_enterprise.Node.Store.Get(Pump));
    }

    [Fact]
    public async Task An_answer_for_a_session_without_a_challenge_is_refused()
    {
        var answer = ChallengeBodies.WriteAnswer(new ChallengeAnswer("HS_PUBKEY", "0.NA/88.100.12", 300, ChallengeBodies.WriteSignedResponse("Ed25519", new byte[64])));
        var response = await new HandleClient(Timeout).SendAsync(_enterprise.EndPoint,
            new MessageHeader(OpCode.ResponseToChallenge, ResponseCode.Reserved, OpFlags.None, 0, 0, 0, 0), answer);
        Assert.Equal(ResponseCode.AuthenticationTimeout, response.Header.ResponseCode);
    }

    public async Task DisposeAsync()
    {
        await _enterprise.DisposeAsync();
        await _audit.DisposeAsync();
        Directory.Delete(_auditDirectory, recursive: true);
    }
}
