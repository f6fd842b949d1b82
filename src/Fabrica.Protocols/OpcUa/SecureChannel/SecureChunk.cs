using System.Buffers.Binary;
using Fabrica.Protocols.OpcUa.Transport;

namespace Fabrica.Protocols.OpcUa.SecureChannel;

/// <summary>
/// The headers of a secure-conversation chunk (OPC 10000-6 §6.7.2), after the 8-byte message header:
/// <code>
///  MSG / CLO:  SecureChannelId UInt32 | TokenId UInt32                                   | SequenceNumber UInt32 | RequestId UInt32 | body…
///  OPN:        SecureChannelId UInt32 | SecurityPolicyUri String | SenderCertificate ByteString
///              | ReceiverCertificateThumbprint ByteString                               | SequenceNumber UInt32 | RequestId UInt32 | body…
/// </code>
/// The symmetric header is the TokenId; the asymmetric one names the policy and the certificates.
/// </summary>
internal readonly record struct SecureChunkHeader(uint ChannelId, uint TokenId, string? PolicyUri, int SequenceHeaderOffset)
{
    public const int MaxPolicyUriLength = 256;
    public const int MaxCertificateLength = 32 * 1024;

    public static SecureChunkHeader Parse(ReadOnlySpan<byte> chunk, UaTcpMessageType type)
    {
        var reader = new OpcUaBinaryReader(chunk[UaTcpHeader.Size..], new OpcUaEncodingLimits
        {
            MaxStringLength = MaxPolicyUriLength,
            MaxByteStringLength = MaxCertificateLength,
        });
        var channelId = reader.ReadUInt32();
        if (type == UaTcpMessageType.OpenSecureChannel)
        {
            var policyUri = reader.ReadString();
            reader.ReadByteStringSpan();
            reader.ReadByteStringSpan();
            return new SecureChunkHeader(channelId, 0, policyUri, UaTcpHeader.Size + reader.Position);
        }
        var tokenId = reader.ReadUInt32();
        return new SecureChunkHeader(channelId, tokenId, null, UaTcpHeader.Size + reader.Position);
    }

    /// <summary>Reads the sequence header (§6.7.2.4) that follows the security header.</summary>
    public static (uint SequenceNumber, uint RequestId) ReadSequenceHeader(ReadOnlySpan<byte> chunk, int offset)
    {
        if (chunk.Length < offset + 8)
        {
            OpcUaThrow.Decoding("chunk ends inside its sequence header");
        }
        return (BinaryPrimitives.ReadUInt32LittleEndian(chunk[offset..]), BinaryPrimitives.ReadUInt32LittleEndian(chunk[(offset + 4)..]));
    }
}
