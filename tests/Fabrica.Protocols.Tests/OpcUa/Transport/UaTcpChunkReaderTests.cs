using System.Buffers;
using Fabrica.Protocols.OpcUa;
using Fabrica.Protocols.OpcUa.SecureChannel;
using Fabrica.Protocols.OpcUa.Transport;

namespace Fabrica.Protocols.Tests.OpcUa.Transport;

public sealed class UaTcpChunkReaderTests
{
    private static readonly byte[] Hello = new HelloMessage(0, 65535, 65535, 1 << 24, 512, "opc.tcp://127.0.0.1:4840/fabrica").Encode();
    private static readonly byte[] Error = new ErrorMessage(StatusCodes.BadTcpMessageTooLarge, "too large").Encode();

    [Fact]
    public void Every_prefix_of_a_message_needs_more_bytes_and_consumes_nothing()
    {
        foreach (var message in new[] { Hello, Error, new AcknowledgeMessage(0, 8192, 8192, 0, 0).Encode() })
        {
            for (var length = 0; length < message.Length; length++)
            {
                var buffer = new ReadOnlySequence<byte>(message, 0, length);
                Assert.False(UaTcpChunkReader.TryRead(buffer, 65535, out _, out var consumed), $"prefix {length}");
                Assert.Equal(buffer.Start, consumed);
            }
        }
    }

    /// <summary>
    /// The secure conversation chunks (OPC 10000-6 §6.7.2): OPN with its asymmetric security header and MSG with its
    /// symmetric one, each followed by the sequence header and a body. Every prefix, in one segment or cut into two
    /// anywhere, needs more bytes and consumes nothing; the whole chunk is read and its headers parse.
    /// </summary>
    [Fact]
    public void Every_prefix_of_a_secure_conversation_chunk_needs_more_bytes_and_consumes_nothing()
    {
        foreach (var (chunk, type) in new[] { (OpenChunk(), UaTcpMessageType.OpenSecureChannel), (MessageChunk(), UaTcpMessageType.Message) })
        {
            for (var length = 0; length < chunk.Length; length++)
            {
                var prefix = chunk[..length];
                for (var cut = 0; cut <= length; cut += Math.Max(1, length / 7))
                {
                    var buffer = Segments.Of(prefix.Length == 0 ? [0] : prefix, cut).Slice(0, length);
                    Assert.False(UaTcpChunkReader.TryRead(buffer, 65535, out _, out var consumed), $"{type} prefix {length} cut {cut}");
                    Assert.Equal(buffer.Start, consumed);
                }
            }

            Assert.True(UaTcpChunkReader.TryRead(Segments.Of(chunk, 5, 13), 65535, out var read, out var end));
            Assert.Equal((type, UaTcpChunkType.Final, chunk.Length), (read.MessageType, read.ChunkType, read.Size));
            Assert.Equal(chunk.Length, Segments.Of(chunk, 5, 13).Slice(0, end).Length);
            var header = SecureChunkHeader.Parse(chunk, type);
            Assert.Equal(7u, header.ChannelId);
            Assert.Equal((41u, 3u), SecureChunkHeader.ReadSequenceHeader(chunk, header.SequenceHeaderOffset));
        }
    }

    private static byte[] OpenChunk()
    {
        using var w = new OpcUaBinaryWriter();
        w.WriteUInt32(0x464E504F); // "OPNF"
        w.WriteUInt32(0);
        w.WriteUInt32(7);
        w.WriteString("http://opcfoundation.org/UA/SecurityPolicy#None");
        w.WriteByteString((byte[]?)null);
        w.WriteByteString((byte[]?)null);
        w.WriteUInt32(41);
        w.WriteUInt32(3);
        w.WriteBytes([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        var bytes = w.ToArray();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)bytes.Length);
        return bytes;
    }

    private static byte[] MessageChunk()
    {
        using var w = new OpcUaBinaryWriter();
        w.WriteUInt32(0x4647534D); // "MSGF"
        w.WriteUInt32(0);
        w.WriteUInt32(7);
        w.WriteUInt32(1);
        w.WriteUInt32(41);
        w.WriteUInt32(3);
        w.WriteNodeId(new NodeId(634)); // ReadResponse_Encoding_DefaultBinary
        w.WriteBytes(new byte[40]);
        var bytes = w.ToArray();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)bytes.Length);
        return bytes;
    }

    [Fact]
    public void A_message_split_across_segments_is_read_whole_and_the_next_one_stays()
    {
        var stream = Hello.Concat(Error).ToArray();
        for (var split = 1; split < stream.Length; split++)
        {
            var buffer = Segments.Of(stream, split);
            Assert.True(UaTcpChunkReader.TryRead(buffer, 65535, out var chunk, out var consumed));
            Assert.Equal(UaTcpMessageType.Hello, chunk.MessageType);
            Assert.Equal(HelloMessage.Decode(new ReadOnlySequence<byte>(Hello, 8, Hello.Length - 8)), HelloMessage.Decode(chunk.Body));
            var rest = buffer.Slice(consumed);
            Assert.True(UaTcpChunkReader.TryRead(rest, 65535, out var second, out _));
            Assert.Equal(StatusCodes.BadTcpMessageTooLarge, ErrorMessage.Decode(second.Body).Error);
        }
    }

    [Theory]
    [InlineData(new byte[] { (byte)'X', (byte)'Y', (byte)'Z', (byte)'F', 8, 0, 0, 0 }, 0x807E0000u)] // unknown type
    [InlineData(new byte[] { (byte)'M', (byte)'S', (byte)'G', (byte)'Q', 8, 0, 0, 0 }, 0x807E0000u)] // unknown chunk type
    [InlineData(new byte[] { (byte)'M', (byte)'S', (byte)'G', (byte)'F', 7, 0, 0, 0 }, 0x807E0000u)] // smaller than its header
    [InlineData(new byte[] { (byte)'M', (byte)'S', (byte)'G', (byte)'F', 0, 0, 1, 0 }, 0x80800000u)] // 64 KiB > receive buffer
    public void A_header_that_can_never_become_valid_throws_before_its_body_arrives(byte[] header, uint status)
    {
        var error = Assert.Throws<OpcUaServiceException>(() => UaTcpChunkReader.TryRead(new ReadOnlySequence<byte>(header), 8192, out _, out _));
        Assert.Equal(status, error.StatusCode.Code);
    }

    [Fact]
    public void Negotiation_takes_the_smaller_sizes_and_refuses_buffers_below_8192()
    {
        var hello = new HelloMessage(0, 65535, 65535, 1 << 24, 512, "opc.tcp://x");

        var limits = TransportLimits.Negotiate(hello, new AcknowledgeMessage(0, 16384, 32768, 1 << 20, 64));
        Assert.Equal((16384, 32768, 1 << 20, 64), (limits.SendBufferSize, limits.ReceiveBufferSize, limits.MaxRequestMessageSize, limits.MaxRequestChunkCount));

        Assert.Throws<OpcUaServiceException>(() => TransportLimits.Negotiate(hello, new AcknowledgeMessage(0, 4096, 8192, 0, 0)));
        Assert.Throws<OpcUaServiceException>(() => TransportLimits.Negotiate(hello, new AcknowledgeMessage(0, 8192, 131072, 0, 0)));
    }
}

/// <summary>A byte array as a multi-segment sequence, cut at the given offsets.</summary>
internal sealed class Segments : ReadOnlySequenceSegment<byte>
{
    private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Of(byte[] bytes, params int[] cuts)
    {
        var bounds = cuts.Where(c => c > 0 && c < bytes.Length).Order().Prepend(0).Append(bytes.Length).ToArray();
        var first = new Segments(bytes.AsMemory(bounds[0], bounds[1] - bounds[0]), 0);
        var last = first;
        for (var i = 1; i < bounds.Length - 1; i++)
        {
            var next = new Segments(bytes.AsMemory(bounds[i], bounds[i + 1] - bounds[i]), bounds[i]);
            last.Next = next;
            last = next;
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
