using Fabrica.Protocols.OpcUa.SecureChannel;

namespace Fabrica.Protocols.OpcUa.Services;

public enum ApplicationType
{
    Server = 0,
    Client = 1,
    ClientAndServer = 2,
    DiscoveryServer = 3,
}

/// <summary>ApplicationDescription (OPC 10000-4 §7.2).</summary>
public sealed record ApplicationDescription(string? ApplicationUri, string? ProductUri, LocalizedText ApplicationName, ApplicationType ApplicationType, string? GatewayServerUri, string? DiscoveryProfileUri, string?[] DiscoveryUrls)
{
    public void Encode(OpcUaBinaryWriter writer)
    {
        writer.WriteString(ApplicationUri);
        writer.WriteString(ProductUri);
        writer.WriteLocalizedText(ApplicationName);
        writer.WriteInt32((int)ApplicationType);
        writer.WriteString(GatewayServerUri);
        writer.WriteString(DiscoveryProfileUri);
        writer.WriteStringArray(DiscoveryUrls);
    }

    public static ApplicationDescription Decode(ref OpcUaBinaryReader reader) => new(
        reader.ReadString(), reader.ReadString(), reader.ReadLocalizedText(), (ApplicationType)reader.ReadInt32(),
        reader.ReadString(), reader.ReadString(), reader.ReadStringArray());
}

public enum UserTokenType
{
    Anonymous = 0,
    UserName = 1,
    Certificate = 2,
    IssuedToken = 3,
}

/// <summary>UserTokenPolicy (OPC 10000-4 §7.41).</summary>
public sealed record UserTokenPolicy(string? PolicyId, UserTokenType TokenType, string? IssuedTokenType, string? IssuerEndpointUrl, string? SecurityPolicyUri)
{
    public static UserTokenPolicy Decode(ref OpcUaBinaryReader reader) => new(
        reader.ReadString(), (UserTokenType)reader.ReadInt32(), reader.ReadString(), reader.ReadString(), reader.ReadString());
}

/// <summary>EndpointDescription (OPC 10000-4 §7.14).</summary>
public sealed record EndpointDescription(string? EndpointUrl, ApplicationDescription Server, byte[]? ServerCertificate, MessageSecurityMode SecurityMode, string? SecurityPolicyUri, UserTokenPolicy[] UserIdentityTokens, string? TransportProfileUri, byte SecurityLevel)
{
    public static EndpointDescription Decode(ref OpcUaBinaryReader reader) => new(
        reader.ReadString(), ApplicationDescription.Decode(ref reader), reader.ReadByteString(), (MessageSecurityMode)reader.ReadInt32(),
        reader.ReadString(), reader.ReadArray(UserTokenPolicy.Decode), reader.ReadString(), reader.ReadByte());
}

/// <summary>GetEndpoints (OPC 10000-4 §5.4.4): EndpointUrl, LocaleIds String[], ProfileUris String[].</summary>
internal sealed record GetEndpointsRequest(string EndpointUrl) : IServiceRequest
{
    public uint BinaryEncodingId => EncodingIds.GetEndpointsRequest;

    public void EncodeBody(OpcUaBinaryWriter writer)
    {
        writer.WriteString(EndpointUrl);
        writer.WriteStringArray([]);
        writer.WriteStringArray([]);
    }
}

internal sealed record GetEndpointsResponse(ResponseHeader Header, EndpointDescription[] Endpoints) : IServiceResponse<GetEndpointsResponse>
{
    public static uint BinaryEncodingId => EncodingIds.GetEndpointsResponse;

    public static GetEndpointsResponse Decode(ref OpcUaBinaryReader reader, ResponseHeader header) =>
        new(header, reader.ReadArray(EndpointDescription.Decode));
}
