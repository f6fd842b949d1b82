using System.Buffers;
using Fabrica.Protocols.OpcUa;
using Fabrica.Protocols.OpcUa.SecureChannel;
using Fabrica.Protocols.OpcUa.Transport;

namespace Fabrica.Fuzz;

/// <summary>
/// Fuzz target of the UA TCP chunk decoder (OPC 10000-6 §7.1.2) and the secure-conversation reassembly (§6.7.2) as
/// the client's receive loop runs them: split the stream into chunks with the smallest receive buffer a server may
/// negotiate (8192), decode HEL/ACK/ERR bodies, parse the security and sequence headers of MSG/OPN/CLO and join
/// chunk bodies per RequestId under small limits; a complete message is decoded as a service response.
/// The receive loop ends the channel on the first <see cref="OpcUaServiceException"/>, and so does this target.
/// Re-checks: the stream splits into the same chunks whatever its segmentation, a "need more" consumed nothing, every
/// handshake message survives encode and decode, and every reassembled message is exactly the concatenation of
/// its chunk bodies (kept by a plain model alongside), within the message, chunk and partial-message limits.
/// </summary>
public static class UaTcpChunkTarget
{
    public const int ReceiveBufferSize = UaTcpHeader.MinBufferSize;
    public const int MaxMessageSize = 64 * 1024;
    public const int MaxChunkCount = 16;
    public const int MaxPartialMessages = 4;

    public static int Run(ReadOnlySpan<byte> input)
    {
        var bytes = input.Length > FuzzTarget.MaxInputLength ? input[..FuzzTarget.MaxInputLength].ToArray() : input.ToArray();
        var chunks = Split(new ReadOnlySequence<byte>(bytes), out var error);
        var again = Split(FuzzSegments.Of(bytes, FuzzSegments.CutsFor(bytes)), out var errorAgain);
        FuzzInvariantException.Check(chunks.Count == again.Count && (error is null) == (errorAgain is null), "the chunks read depend on how the stream is segmented");
        for (var i = 0; i < chunks.Count; i++)
        {
            FuzzInvariantException.Check(chunks[i].Raw.AsSpan().SequenceEqual(again[i].Raw), "the chunks read depend on how the stream is segmented");
        }

        if (error is not null)
        {
            return chunks.Count;
        }

        using var assembler = new MessageAssembler(MaxMessageSize, MaxChunkCount, MaxPartialMessages);
        var model = new Dictionary<uint, List<byte>>();
        try
        {
            foreach (var chunk in chunks)
            {
                Handle(chunk, assembler, model);
            }
        }
        catch (OpcUaServiceException)
        {
            // The channel would end here, as the client's receive loop does.
        }

        return chunks.Count;
    }

    private sealed record RawChunk(UaTcpMessageType Type, UaTcpChunkType ChunkType, byte[] Raw);

    private static List<RawChunk> Split(ReadOnlySequence<byte> buffer, out OpcUaServiceException? error)
    {
        var chunks = new List<RawChunk>();
        error = null;
        try
        {
            while (true)
            {
                if (!UaTcpChunkReader.TryRead(buffer, ReceiveBufferSize, out var chunk, out var consumed))
                {
                    FuzzInvariantException.Check(consumed.Equals(buffer.Start), "TryRead returned false but consumed bytes");
                    break;
                }

                FuzzInvariantException.Check(chunk.Size is >= UaTcpHeader.Size and <= ReceiveBufferSize, $"accepted a chunk of {chunk.Size} bytes");
                var raw = buffer.Slice(0, consumed).ToArray();
                FuzzInvariantException.Check(raw.Length == chunk.Size, "the chunk's size disagrees with the bytes consumed");
                chunks.Add(new RawChunk(chunk.MessageType, chunk.ChunkType, raw));
                buffer = buffer.Slice(consumed);
            }
        }
        catch (OpcUaServiceException ex)
        {
            error = ex;
        }

        return chunks;
    }

    private static void Handle(RawChunk chunk, MessageAssembler assembler, Dictionary<uint, List<byte>> model)
    {
        var body = new ReadOnlySequence<byte>(chunk.Raw, UaTcpHeader.Size, chunk.Raw.Length - UaTcpHeader.Size);
        switch (chunk.Type)
        {
            case UaTcpMessageType.Hello:
                var hello = HelloMessage.Decode(body);
                Same(hello, HelloMessage.Decode(Body(hello.Encode())));
                return;
            case UaTcpMessageType.Acknowledge:
                var ack = AcknowledgeMessage.Decode(body);
                Same(ack, AcknowledgeMessage.Decode(Body(ack.Encode())));
                return;
            case UaTcpMessageType.Error:
                var error = ErrorMessage.Decode(body);
                Same(error, ErrorMessage.Decode(Body(error.Encode())));
                return;
            case UaTcpMessageType.ReverseHello:
                return;
        }

        var header = SecureChunkHeader.Parse(chunk.Raw, chunk.Type);
        var (_, requestId) = SecureChunkHeader.ReadSequenceHeader(chunk.Raw, header.SequenceHeaderOffset);
        var payload = chunk.Raw.AsSpan(header.SequenceHeaderOffset + 8);
        var result = assembler.Append(requestId, chunk.ChunkType, payload, out var message);
        var sofar = model.GetValueOrDefault(requestId);
        switch (result)
        {
            case AssemblyResult.Incomplete:
                (sofar ??= model[requestId] = []).AddRange(payload);
                break;
            case AssemblyResult.Aborted:
                model.Remove(requestId);
                FuzzInvariantException.Check(message.SequenceEqual(payload), "an Abort chunk's message is not its body");
                ErrorMessage.Decode(message);
                break;
            default:
                var expected = (sofar ?? []).Concat(payload.ToArray()).ToArray();
                model.Remove(requestId);
                FuzzInvariantException.Check(message.SequenceEqual(expected), $"request {requestId} reassembled to other bytes than its chunks");
                FuzzInvariantException.Check(message.Length <= MaxMessageSize, $"a message of {message.Length} bytes passed the limit");
                try
                {
                    OpcUaBinaryTarget.DecodeServiceResponse(message);
                }
                catch (OpcUaServiceException)
                {
                    // A malformed body fails only its request; the channel goes on.
                }

                break;
        }

        FuzzInvariantException.Check(assembler.PartialCount == model.Count && model.Count <= MaxPartialMessages, $"{assembler.PartialCount} partial messages, the model has {model.Count}");
    }

    private static ReadOnlySequence<byte> Body(byte[] message) => new(message, UaTcpHeader.Size, message.Length - UaTcpHeader.Size);

    private static void Same<T>(T decoded, T again) =>
        FuzzInvariantException.Check(EqualityComparer<T>.Default.Equals(decoded, again), $"a {typeof(T).Name} changed across encode and decode: {decoded} → {again}");
}
