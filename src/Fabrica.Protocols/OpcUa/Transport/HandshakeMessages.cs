using System.Buffers;

namespace Fabrica.Protocols.OpcUa.Transport;

/// <summary>
/// Hello (OPC 10000-6 §7.1.2.3): ProtocolVersion, ReceiveBufferSize, SendBufferSize, MaxMessageSize,
/// MaxChunkCount (all UInt32; 0 = no limit for the last two), EndpointUrl (String, under 4096 bytes).
/// </summary>
public sealed record HelloMessage(uint ProtocolVersion, uint ReceiveBufferSize, uint SendBufferSize, uint MaxMessageSize, uint MaxChunkCount, string EndpointUrl)
{
    public const int MaxEndpointUrlLength = 4096;

    public byte[] Encode()
    {
        using var writer = new OpcUaBinaryWriter(256);
        writer.Allocate(UaTcpHeader.Size);
        writer.WriteUInt32(ProtocolVersion);
        writer.WriteUInt32(ReceiveBufferSize);
        writer.WriteUInt32(SendBufferSize);
        writer.WriteUInt32(MaxMessageSize);
        writer.WriteUInt32(MaxChunkCount);
        writer.WriteString(EndpointUrl);
        var bytes = writer.ToArray();
        UaTcpHeader.Write(bytes, UaTcpMessageType.Hello, UaTcpChunkType.Final, bytes.Length);
        return bytes;
    }

    public static HelloMessage Decode(in ReadOnlySequence<byte> body)
    {
        var reader = new OpcUaBinaryReader(body.ToArray(), new OpcUaEncodingLimits { MaxStringLength = MaxEndpointUrlLength });
        return new HelloMessage(reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadString() ?? "");
    }
}

/// <summary>Acknowledge (§7.1.2.4): the server's revised sizes, the same five UInt32 as Hello without the URL.</summary>
public sealed record AcknowledgeMessage(uint ProtocolVersion, uint ReceiveBufferSize, uint SendBufferSize, uint MaxMessageSize, uint MaxChunkCount)
{
    public static AcknowledgeMessage Decode(in ReadOnlySequence<byte> body)
    {
        if (body.Length < 20)
        {
            OpcUaThrow.Decoding("Acknowledge shorter than 20 bytes");
        }
        Span<byte> fields = stackalloc byte[20];
        body.Slice(0, 20).CopyTo(fields);
        var reader = new OpcUaBinaryReader(fields);
        return new AcknowledgeMessage(reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32());
    }

    public byte[] Encode()
    {
        using var writer = new OpcUaBinaryWriter(64);
        writer.Allocate(UaTcpHeader.Size);
        writer.WriteUInt32(ProtocolVersion);
        writer.WriteUInt32(ReceiveBufferSize);
        writer.WriteUInt32(SendBufferSize);
        writer.WriteUInt32(MaxMessageSize);
        writer.WriteUInt32(MaxChunkCount);
        var bytes = writer.ToArray();
        UaTcpHeader.Write(bytes, UaTcpMessageType.Acknowledge, UaTcpChunkType.Final, bytes.Length);
        return bytes;
    }
}

/// <summary>Error (§7.1.2.5): a StatusCode and a Reason string (under 4096 bytes); the sender closes the connection after it.</summary>
public sealed record ErrorMessage(StatusCode Error, string? Reason)
{
    public const int MaxReasonLength = 4096;

    public static ErrorMessage Decode(in ReadOnlySequence<byte> body)
    {
        var reader = new OpcUaBinaryReader(body.ToArray(), new OpcUaEncodingLimits { MaxStringLength = MaxReasonLength });
        return new ErrorMessage(reader.ReadStatusCode(), reader.ReadString());
    }

    /// <summary>Decodes an Error message or an Abort chunk's body from a contiguous span.</summary>
    public static ErrorMessage Decode(ReadOnlySpan<byte> body)
    {
        var reader = new OpcUaBinaryReader(body, new OpcUaEncodingLimits { MaxStringLength = MaxReasonLength });
        return new ErrorMessage(reader.ReadStatusCode(), reader.ReadString());
    }

    public byte[] Encode(UaTcpMessageType type = UaTcpMessageType.Error)
    {
        using var writer = new OpcUaBinaryWriter(64);
        writer.Allocate(UaTcpHeader.Size);
        writer.WriteStatusCode(Error);
        writer.WriteString(Reason);
        var bytes = writer.ToArray();
        UaTcpHeader.Write(bytes, type, UaTcpChunkType.Final, bytes.Length);
        return bytes;
    }

    public OpcUaServiceException ToException() => new(Error, $"server sent Error: {Reason}");
}

/// <summary>
/// Transport limits after Hello/Acknowledge, from the client's point of view.
/// </summary>
/// <param name="SendBufferSize">Largest chunk the client may send (the server's ReceiveBufferSize).</param>
/// <param name="ReceiveBufferSize">Largest chunk the server will send (the server's SendBufferSize).</param>
/// <param name="MaxRequestMessageSize">Largest request message the server accepts (0 none).</param>
/// <param name="MaxRequestChunkCount">Most chunks per request the server accepts (0 none).</param>
/// <param name="MaxResponseMessageSize">Largest response message this client accepts.</param>
/// <param name="MaxResponseChunkCount">Most chunks per response this client accepts.</param>
public sealed record TransportLimits(int SendBufferSize, int ReceiveBufferSize, int MaxRequestMessageSize, int MaxRequestChunkCount, int MaxResponseMessageSize, int MaxResponseChunkCount)
{
    /// <summary>
    /// Applies the Acknowledge to what the client asked for (§7.1.2.4): the server may only lower the sizes, and no
    /// buffer may be below 8192 bytes.
    /// </summary>
    public static TransportLimits Negotiate(HelloMessage hello, AcknowledgeMessage ack)
    {
        if (ack.ReceiveBufferSize < UaTcpHeader.MinBufferSize || ack.SendBufferSize < UaTcpHeader.MinBufferSize)
        {
            OpcUaThrow.Status(StatusCodes.BadTcpInternalError, $"server buffers {ack.ReceiveBufferSize}/{ack.SendBufferSize} are below the minimum of 8192");
        }
        if (ack.SendBufferSize > hello.ReceiveBufferSize)
        {
            OpcUaThrow.Status(StatusCodes.BadTcpInternalError, $"server send buffer {ack.SendBufferSize} exceeds our receive buffer {hello.ReceiveBufferSize}");
        }
        var send = (int)Math.Min(ack.ReceiveBufferSize, hello.SendBufferSize);
        return new TransportLimits(
            send,
            (int)ack.SendBufferSize,
            (int)Math.Min(ack.MaxMessageSize, int.MaxValue),
            (int)Math.Min(ack.MaxChunkCount, int.MaxValue),
            (int)hello.MaxMessageSize,
            (int)hello.MaxChunkCount);
    }
}
