using System.Net;
using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Native;
using static Fabrica.Identifiers.Tests.Native.CnriVectors;

namespace Fabrica.Identifiers.Tests.Native;

/// <summary>Our codec against CNRI's bytes (see <see cref="CnriVectors"/> for where each vector comes from).</summary>
public sealed class GoldenVectorTests
{
    private const OpFlags CnriDefaults = OpFlags.CacheCertify | OpFlags.PublicOnly;

    internal static readonly HandleValue Url = HandleValue.Text(1, "URL", "https://example.com/pump/1", ValuePermissions.Default, 86400, 1700000000);
    internal static readonly HandleValue Admin = new(100, "HS_ADMIN", new AdminRecord("0.NA/88.100.12", 200, AdminPermissions.All).Encode(), 86400, 1700000000);
    internal static readonly HandleValue PrivateBatch = HandleValue.Text(2, "batch", "B-7", ValuePermissions.AdminRead, 0, 1700000001);

    private static MessageHeader Header(OpCode op, ResponseCode rc, OpFlags flags) => new(op, rc, flags, 1, 0, Expiration, 0);

    private static byte[] Message(MessageHeader header, byte[] body) => HandleMessage.Encode(0, header, body)[MessageEnvelope.Size..];

    private static HandleMessage Decode(string cnriMessage)
    {
        var message = Bytes(cnriMessage);
        var framed = new byte[MessageEnvelope.Size + message.Length];
        MessageEnvelope.For(7, message.Length).Write(framed);
        message.CopyTo(framed, MessageEnvelope.Size);
        return HandleMessage.ReadDatagram(framed);
    }

    [Fact]
    public void Handle_values_encode_byte_for_byte_as_CNRI()
    {
        Assert.Equal(ValueUrl, Convert.ToHexStringLower(HandleValueCodec.Encode(Url)));
        Assert.Equal(ValueAdmin, Convert.ToHexStringLower(HandleValueCodec.Encode(Admin)));
        Assert.Equal(ValuePrivateTtl0, Convert.ToHexStringLower(HandleValueCodec.Encode(PrivateBatch)));
        Assert.Equal(Url, HandleValueCodec.Decode(Bytes(ValueUrl)));
        Assert.Equal(PrivateBatch, HandleValueCodec.Decode(Bytes(ValuePrivateTtl0)));
        Assert.False(HandleValueCodec.Decode(Bytes(ValuePrivateTtl0)).IsPublicReadable);
    }

    [Fact]
    public void Admin_records_encode_as_CNRI_and_show_Handle_Net_permission_strings()
    {
        var all = new AdminRecord("0.NA/88.100.12", 200, AdminPermissions.All);
        Assert.Equal(AdminRecordAll, Convert.ToHexStringLower(all.Encode()));
        var mixed = AdminRecord.Decode(Bytes(AdminRecordMixed));
        Assert.Equal(300, mixed.AdminIndex);
        Assert.Equal(AdminPermissions.AddHandle | AdminPermissions.DeleteHandle | AdminPermissions.ModifyValue
            | AdminPermissions.RemoveValue | AdminPermissions.AddValue | AdminPermissions.ModifyAdmin | AdminPermissions.ListHandles, mixed.Permissions);
        Assert.Equal(AdminRecordMixed, Convert.ToHexStringLower(mixed.Encode()));
        Assert.Equal("111111111111", all.PermissionString);
        // The Handle.Net REST documentation's example HS_ADMIN shows "011111111111": everything except list handles.
        Assert.True(AdminRecord.TryParsePermissions("011111111111", out var documented));
        Assert.Equal(AdminPermissions.All & ~AdminPermissions.ListHandles, documented);
    }

    [Fact]
    public void Site_info_encodes_as_CNRI_and_decodes_back()
    {
        var site = new SiteInfo(3,
            [new SiteServer(1, IPAddress.Loopback, new byte[] { 1, 2, 3 },
                [new SiteInterface(SiteInterface.Services.AdminAndQuery, SiteInterface.Transport.Udp, 2641),
                 new SiteInterface(SiteInterface.Services.AdminAndQuery, SiteInterface.Transport.Tcp, 2641)])],
            Attributes: new Dictionary<string, string> { ["desc"] = "Fabrica root" });
        Assert.Equal(SiteInfoHex, Convert.ToHexStringLower(site.Encode()));
        var decoded = Identifiers.Model.SiteInfo.Decode(Bytes(SiteInfoHex));
        Assert.Equal(IPAddress.Loopback, decoded.Servers[0].Address);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 2641), decoded.Servers[0].EndPointFor(SiteInterface.Transport.Tcp));
        Assert.Equal("Fabrica root", decoded.Attributes!["desc"]);
        Assert.Equal(SiteInfoHex, Convert.ToHexStringLower(decoded.Encode()));
    }

    [Fact]
    public void Site_hash_picks_the_same_server_as_CNRI()
    {
        foreach (var (handle, byPrefix, bySuffix, byAll, of3) in Hashes)
        {
            Assert.Equal(byPrefix, Identifiers.Model.SiteInfo.HandleHash(handle, Identifiers.Model.SiteInfo.Hash.ByPrefix));
            Assert.Equal(bySuffix, Identifiers.Model.SiteInfo.HandleHash(handle, Identifiers.Model.SiteInfo.Hash.BySuffix));
            Assert.Equal(byAll, Identifiers.Model.SiteInfo.HandleHash(handle, Identifiers.Model.SiteInfo.Hash.ByAll));
            Assert.Equal(of3, Identifiers.Model.SiteInfo.ServerIndex(handle, Identifiers.Model.SiteInfo.Hash.ByAll, 3));
        }
    }

    [Fact]
    public void Envelope_reads_and_writes_CNRI_layout()
    {
        var envelope = MessageEnvelope.Read(Bytes(ResolutionRequestEnvelope));
        Assert.Equal((byte)2, envelope.MajorVersion);
        Assert.Equal((byte)3, envelope.MinorVersion);
        Assert.Equal(42, envelope.RequestId);
        Assert.Equal(Bytes(ResolutionRequestHex).Length, envelope.MessageLength);
        var written = new byte[MessageEnvelope.Size];
        envelope.Write(written);
        Assert.Equal(ResolutionRequestEnvelope, Convert.ToHexStringLower(written));
    }

    [Fact]
    public void Resolution_requests_encode_and_decode_as_CNRI()
    {
        var body = MessageBodies.WriteResolutionRequest(new ResolutionRequest(Handle, [], ["URL"]));
        Assert.Equal(ResolutionRequestHex, Convert.ToHexStringLower(Message(Header(OpCode.Resolution, 0, CnriDefaults | OpFlags.Recursive), body)));

        var framed = Bytes(ResolutionRequestEnvelope).Concat(Bytes(ResolutionRequestHex)).ToArray();
        var message = HandleMessage.ReadDatagram(framed);
        Assert.Equal(42, message.Envelope.RequestId);
        Assert.Equal(OpCode.Resolution, message.Header.OpCode);
        Assert.True(message.Header.IsRequest);
        Assert.Equal(CnriDefaults | OpFlags.Recursive, message.Header.Flags);
        Assert.Equal(Expiration, message.Header.Expiration);
        var request = MessageBodies.ReadResolutionRequest(message.Body.Span);
        Assert.Equal(Handle, request.Handle);
        Assert.Equal(["URL"], request.Types);

        var second = Decode(ResolutionRequestIndexesAuthoritative);
        Assert.True(second.Header.Flags.HasFlag(OpFlags.Authoritative));
        Assert.Equal([1, 100], MessageBodies.ReadResolutionRequest(second.Body.Span).Indexes);
    }

    [Fact]
    public void Resolution_and_error_responses_encode_and_decode_as_CNRI()
    {
        var body = MessageBodies.WriteHandleValues(new HandleValuesBody(Handle, [Url, Admin]));
        Assert.Equal(ResolutionResponse, Convert.ToHexStringLower(Message(Header(OpCode.Resolution, ResponseCode.Success, CnriDefaults | OpFlags.Recursive), body)));
        var decoded = MessageBodies.ReadHandleValues(Decode(ResolutionResponse).Body.Span);
        Assert.Equal([Url, Admin], decoded.Values);

        var error = Decode(ErrorHandleNotFound);
        Assert.Equal(ResponseCode.HandleNotFound, error.Header.ResponseCode);
        Assert.Equal("handle not found", MessageBodies.ReadError(error.Body.Span));
        Assert.Equal(ErrorHandleNotFound, Convert.ToHexStringLower(Message(error.Header, MessageBodies.WriteError("handle not found"))));

        var ok = Decode(GenericSuccessDelete);
        Assert.Equal(OpCode.DeleteHandle, ok.Header.OpCode);
        Assert.Equal(0, ok.Body.Length);
    }

    [Fact]
    public void Site_info_request_and_response_match_CNRI()
    {
        var request = Decode(GetSiteInfoRequest);
        Assert.Equal(OpCode.GetSiteInfo, request.Header.OpCode);
        Assert.Equal("/", MessageBodies.ReadHandle(request.Body.Span));
        var response = Decode(GetSiteInfoResponse);
        Assert.Equal(SiteInfoHex, Convert.ToHexStringLower(response.Body.ToArray()));
        Assert.Equal(GetSiteInfoRequest, Convert.ToHexStringLower(Message(request.Header, MessageBodies.WriteHandle("/"))));
    }

    [Fact]
    public void Administrative_requests_decode_and_re_encode_as_CNRI()
    {
        var create = Decode(CreateHandleRequest);
        Assert.Equal(OpCode.CreateHandle, create.Header.OpCode);
        Assert.Equal([Url, Admin], MessageBodies.ReadHandleValues(create.Body.Span).Values);
        Assert.Equal(CreateHandleRequest, Convert.ToHexStringLower(Message(create.Header, MessageBodies.WriteHandleValues(new(Handle, [Url, Admin])))));

        var delete = Decode(DeleteHandleRequest);
        Assert.Equal(OpCode.DeleteHandle, delete.Header.OpCode);
        Assert.Equal(Handle, MessageBodies.ReadHandle(delete.Body.Span));

        var add = Decode(AddValueRequest);
        Assert.Equal(OpCode.AddValue, add.Header.OpCode);
        Assert.Equal([PrivateBatch], MessageBodies.ReadHandleValues(add.Body.Span).Values);

        var modify = Decode(ModifyValueRequest);
        Assert.Equal(OpCode.ModifyValue, modify.Header.OpCode);
        Assert.Equal([Url], MessageBodies.ReadHandleValues(modify.Body.Span).Values);

        var remove = Decode(RemoveValueRequest);
        Assert.Equal(OpCode.RemoveValue, remove.Header.OpCode);
        Assert.Equal([2, 3], MessageBodies.ReadRemoveValues(remove.Body.Span).Indexes);
        Assert.Equal(RemoveValueRequest, Convert.ToHexStringLower(Message(remove.Header, MessageBodies.WriteRemoveValues(new(Handle, [2, 3])))));
    }
}
