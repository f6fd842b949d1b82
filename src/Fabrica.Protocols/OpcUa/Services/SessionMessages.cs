namespace Fabrica.Protocols.OpcUa.Services;

/// <summary>
/// CreateSession (OPC 10000-4 §5.6.2): ClientDescription, ServerUri, EndpointUrl, SessionName, ClientNonce,
/// ClientCertificate, RequestedSessionTimeout (ms), MaxResponseMessageSize.
/// </summary>
internal sealed record CreateSessionRequest(ApplicationDescription ClientDescription, string EndpointUrl, string SessionName, byte[] ClientNonce, double RequestedSessionTimeout, uint MaxResponseMessageSize) : IServiceRequest
{
    public uint BinaryEncodingId => EncodingIds.CreateSessionRequest;

    public void EncodeBody(OpcUaBinaryWriter writer)
    {
        ClientDescription.Encode(writer);
        writer.WriteString(null);
        writer.WriteString(EndpointUrl);
        writer.WriteString(SessionName);
        writer.WriteByteString(ClientNonce);
        writer.WriteByteString((byte[]?)null);
        writer.WriteDouble(RequestedSessionTimeout);
        writer.WriteUInt32(MaxResponseMessageSize);
    }
}

internal sealed record CreateSessionResponse(ResponseHeader Header, NodeId SessionId, NodeId AuthenticationToken, double RevisedSessionTimeout, byte[]? ServerNonce, byte[]? ServerCertificate, EndpointDescription[] ServerEndpoints, uint MaxRequestMessageSize) : IServiceResponse<CreateSessionResponse>
{
    public static uint BinaryEncodingId => EncodingIds.CreateSessionResponse;

    public static CreateSessionResponse Decode(ref OpcUaBinaryReader reader, ResponseHeader header)
    {
        var sessionId = reader.ReadNodeId();
        var token = reader.ReadNodeId();
        var timeout = reader.ReadDouble();
        var nonce = reader.ReadByteString();
        var certificate = reader.ReadByteString();
        var endpoints = reader.ReadArray(EndpointDescription.Decode);
        // ServerSoftwareCertificates: SignedSoftwareCertificate[] (CertificateData, Signature ByteStrings).
        reader.ReadArray(static (ref OpcUaBinaryReader r) => { r.ReadByteStringSpan(); r.ReadByteStringSpan(); return 0; });
        // ServerSignature: SignatureData (Algorithm String, Signature ByteString).
        reader.ReadString();
        reader.ReadByteStringSpan();
        return new CreateSessionResponse(header, sessionId, token, timeout, nonce, certificate, endpoints, reader.ReadUInt32());
    }
}

/// <summary>AnonymousIdentityToken (OPC 10000-4 §7.36.3): PolicyId.</summary>
internal sealed record AnonymousIdentityToken(string? PolicyId) : IOpcUaEncodeable
{
    public void Encode(OpcUaBinaryWriter writer) => writer.WriteString(PolicyId);
}

/// <summary>
/// UserNameIdentityToken (OPC 10000-4 §7.36.4): PolicyId, UserName, Password ByteString, EncryptionAlgorithm.
/// Without a security policy on the token the password goes as UTF-8 and EncryptionAlgorithm is null.
/// </summary>
internal sealed record UserNameIdentityToken(string? PolicyId, string UserName, byte[] Password, string? EncryptionAlgorithm) : IOpcUaEncodeable
{
    public void Encode(OpcUaBinaryWriter writer)
    {
        writer.WriteString(PolicyId);
        writer.WriteString(UserName);
        writer.WriteByteString(Password);
        writer.WriteString(EncryptionAlgorithm);
    }
}

/// <summary>
/// ActivateSession (OPC 10000-4 §5.6.3): ClientSignature SignatureData, ClientSoftwareCertificates,
/// LocaleIds, UserIdentityToken ExtensionObject, UserTokenSignature SignatureData.
/// </summary>
internal sealed record ActivateSessionRequest(ExtensionObject UserIdentityToken, string?[] LocaleIds) : IServiceRequest
{
    public uint BinaryEncodingId => EncodingIds.ActivateSessionRequest;

    public void EncodeBody(OpcUaBinaryWriter writer)
    {
        writer.WriteString(null);
        writer.WriteByteString((byte[]?)null);
        writer.WriteInt32(-1);
        writer.WriteStringArray(LocaleIds);
        writer.WriteExtensionObject(UserIdentityToken);
        writer.WriteString(null);
        writer.WriteByteString((byte[]?)null);
    }
}

internal sealed record ActivateSessionResponse(ResponseHeader Header, byte[]? ServerNonce, StatusCode[] Results) : IServiceResponse<ActivateSessionResponse>
{
    public static uint BinaryEncodingId => EncodingIds.ActivateSessionResponse;

    public static ActivateSessionResponse Decode(ref OpcUaBinaryReader reader, ResponseHeader header)
    {
        var nonce = reader.ReadByteString();
        var results = reader.ReadStatusCodeArray();
        reader.ReadDiagnosticInfoArray();
        return new ActivateSessionResponse(header, nonce, results);
    }
}

/// <summary>CloseSession (OPC 10000-4 §5.6.4): DeleteSubscriptions Boolean.</summary>
internal sealed record CloseSessionRequest(bool DeleteSubscriptions) : IServiceRequest
{
    public uint BinaryEncodingId => EncodingIds.CloseSessionRequest;

    public void EncodeBody(OpcUaBinaryWriter writer) => writer.WriteBoolean(DeleteSubscriptions);
}

internal sealed record CloseSessionResponse(ResponseHeader Header) : IServiceResponse<CloseSessionResponse>
{
    public static uint BinaryEncodingId => EncodingIds.CloseSessionResponse;

    public static CloseSessionResponse Decode(ref OpcUaBinaryReader reader, ResponseHeader header) => new(header);
}
