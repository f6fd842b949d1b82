using Fabrica.Protocols.OpcUa.SecureChannel;

namespace Fabrica.Protocols.OpcUa.Services;

internal enum SecurityTokenRequestType
{
    Issue = 0,
    Renew = 1,
}

/// <summary>OpenSecureChannel request (OPC 10000-4 §5.5.2.2, OPC 10000-6 §6.7.4).</summary>
internal sealed record OpenSecureChannelRequest(SecurityTokenRequestType RequestType, MessageSecurityMode SecurityMode, byte[] ClientNonce, uint RequestedLifetime) : IServiceRequest
{
    public uint BinaryEncodingId => EncodingIds.OpenSecureChannelRequest;

    public void EncodeBody(OpcUaBinaryWriter writer)
    {
        writer.WriteUInt32(0); // ClientProtocolVersion
        writer.WriteInt32((int)RequestType);
        writer.WriteInt32((int)SecurityMode);
        writer.WriteByteString(ClientNonce);
        writer.WriteUInt32(RequestedLifetime);
    }
}

/// <summary>ChannelSecurityToken (OPC 10000-4 §5.5.2.2): ChannelId, TokenId, CreatedAt, RevisedLifetime (ms).</summary>
public sealed record ChannelSecurityToken(uint ChannelId, uint TokenId, DateTime CreatedAt, uint RevisedLifetime);

internal sealed record OpenSecureChannelResponse(ResponseHeader Header, ChannelSecurityToken Token, byte[]? ServerNonce) : IServiceResponse<OpenSecureChannelResponse>
{
    public static uint BinaryEncodingId => EncodingIds.OpenSecureChannelResponse;

    public static OpenSecureChannelResponse Decode(ref OpcUaBinaryReader reader, ResponseHeader header)
    {
        reader.ReadUInt32(); // ServerProtocolVersion
        var token = new ChannelSecurityToken(reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadDateTime(), reader.ReadUInt32());
        return new OpenSecureChannelResponse(header, token, reader.ReadByteString());
    }
}

/// <summary>CloseSecureChannel request (OPC 10000-4 §5.5.3): only the header; the server answers by closing the socket.</summary>
internal sealed record CloseSecureChannelRequest : IServiceRequest
{
    public uint BinaryEncodingId => EncodingIds.CloseSecureChannelRequest;

    public void EncodeBody(OpcUaBinaryWriter writer)
    {
    }
}
