using System.Buffers;
using CsCheck;
using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Native;

namespace Fabrica.Identifiers.Tests.Native;

public sealed class FramingTests
{
    private static readonly string[] Messages =
    [
        CnriVectors.ResolutionRequestHex, CnriVectors.ResolutionResponse, CnriVectors.ErrorHandleNotFound, CnriVectors.GetSiteInfoRequest,
        CnriVectors.GetSiteInfoResponse, CnriVectors.CreateHandleRequest, CnriVectors.DeleteHandleRequest, CnriVectors.AddValueRequest,
        CnriVectors.ModifyValueRequest, CnriVectors.RemoveValueRequest, CnriVectors.GenericSuccessDelete,
    ];

    internal static byte[] Framed(string cnriMessage, int requestId = 9)
    {
        var message = CnriVectors.Bytes(cnriMessage);
        var framed = new byte[MessageEnvelope.Size + message.Length];
        MessageEnvelope.For(requestId, message.Length).Write(framed);
        message.CopyTo(framed, MessageEnvelope.Size);
        return framed;
    }

    [Fact]
    public void Every_prefix_of_a_valid_frame_needs_more_bytes_and_consumes_nothing()
    {
        foreach (var hex in Messages)
        {
            var framed = Framed(hex);
            for (var length = 0; length < framed.Length; length++)
            {
                var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(framed, 0, length));
                Assert.False(HandleMessage.TryRead(ref reader, out _));
                Assert.Equal(0, reader.Consumed);
            }
            var whole = new SequenceReader<byte>(new ReadOnlySequence<byte>(framed));
            Assert.True(HandleMessage.TryRead(ref whole, out var message));
            Assert.Equal(framed.Length, whole.Consumed);
            Assert.Equal(9, message.Envelope.RequestId);
        }
    }

    [Fact]
    public void A_frame_split_across_segments_at_any_point_reads_the_same()
    {
        var framed = Framed(CnriVectors.ResolutionResponse);
        var expected = MessageBodies.ReadHandleValues(HandleMessage.ReadDatagram(framed).Body.Span);
        for (var split = 1; split < framed.Length; split++)
        {
            var reader = new SequenceReader<byte>(Segments.Of(framed.AsMemory(0, split), framed.AsMemory(split)));
            Assert.True(HandleMessage.TryRead(ref reader, out var message));
            Assert.Equal(expected.Values, MessageBodies.ReadHandleValues(message.Body.Span).Values);
        }
    }

    [Fact]
    public void Two_frames_back_to_back_read_one_after_the_other()
    {
        var both = Framed(CnriVectors.ResolutionRequestHex, 1).Concat(Framed(CnriVectors.DeleteHandleRequest, 2)).ToArray();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(both));
        Assert.True(HandleMessage.TryRead(ref reader, out var first));
        Assert.True(HandleMessage.TryRead(ref reader, out var second));
        Assert.Equal((1, 2), (first.Envelope.RequestId, second.Envelope.RequestId));
        Assert.False(HandleMessage.TryRead(ref reader, out _));
    }

    [Fact]
    public void A_length_beyond_the_limit_is_refused_before_the_body_arrives()
    {
        var envelope = new byte[MessageEnvelope.Size];
        MessageEnvelope.For(1, HandleMessage.MaxMessageLength + 1).Write(envelope);
        Assert.Throws<HandleProtocolException>(() =>
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(envelope));
            HandleMessage.TryRead(ref reader, out _);
        });
        MessageEnvelope.For(1, 1000).Write(envelope);
        Assert.Throws<HandleProtocolException>(() =>
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(envelope));
            HandleMessage.TryRead(ref reader, out _, maxMessageLength: 999);
        });
    }

    [Fact]
    public void A_count_larger_than_the_bytes_left_is_malformed_not_an_allocation()
    {
        // A value list announcing 2048 values in a body of a few bytes.
        var body = new byte[] { 0, 0, 0, 1, (byte)'x', 0, 0, 8, 0 };
        Assert.Throws<HandleProtocolException>(() => MessageBodies.ReadHandleValues(body));
        var huge = new byte[] { 0x7f, 0xff, 0xff, 0xff };
        Assert.Throws<HandleProtocolException>(() => MessageBodies.ReadHandle(huge));
    }

    [Fact]
    public void Random_messages_round_trip_through_the_codec()
    {
        var genValue = Gen.Select(Gen.Int, Gen.String[Gen.Char.AlphaNumeric, 1, 20], Gen.Byte.Array[0, 64], Gen.Int[0, 172800], Gen.UInt, Gen.Byte[0, 15])
            .Select((index, type, data, ttl, ts, perms) => new HandleValue(index, type, data, ttl, ts, (ValuePermissions)perms));
        var genMessage = Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 1, 40], genValue.List[0, 8], Gen.Int, Gen.UInt, Gen.Int[0, 255]);
        genMessage.Sample((suffix, values, requestId, flags, recursion) =>
        {
            var handle = "88.1/" + suffix;
            var header = new MessageHeader(OpCode.Resolution, ResponseCode.Success, (OpFlags)flags, 7, (byte)recursion, 12345, 0);
            var framed = HandleMessage.Encode(requestId, header, MessageBodies.WriteHandleValues(new HandleValuesBody(handle, values)));
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(framed));
            Assert.True(HandleMessage.TryRead(ref reader, out var message));
            Assert.Equal(requestId, message.Envelope.RequestId);
            Assert.Equal(header with { BodyLength = message.Header.BodyLength }, message.Header);
            var body = MessageBodies.ReadHandleValues(message.Body.Span);
            Assert.Equal(handle, body.Handle);
            Assert.Equal(values, body.Values);
        });
    }

    [Fact]
    public void Seeded_mutations_either_decode_consistently_or_throw_the_protocol_exception()
    {
        var random = new Random(20261130);
        var seeds = Messages.Select(m => Framed(m)).ToArray();
        var accepted = 0;
        for (var round = 0; round < 20_000; round++)
        {
            var input = (byte[])seeds[random.Next(seeds.Length)].Clone();
            var mutations = random.Next(1, 4);
            for (var m = 0; m < mutations; m++)
            {
                switch (random.Next(3))
                {
                    case 0: input[random.Next(input.Length)] = (byte)random.Next(256); break;
                    case 1: input[random.Next(input.Length)] ^= (byte)(1 << random.Next(8)); break;
                    default: Array.Resize(ref input, Math.Max(0, input.Length - random.Next(1, 8))); break;
                }
            }
            try
            {
                var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(input));
                if (!HandleMessage.TryRead(ref reader, out var message))
                {
                    Assert.Equal(0, reader.Consumed);
                    continue;
                }
                DecodeBody(message);
                accepted++;
                // What was accepted re-encodes to a message that decodes to the same header.
                var again = HandleMessage.Encode(message.Envelope.RequestId, message.Header, message.Body.Span);
                Assert.Equal(message.Header, HandleMessage.ReadDatagram(again).Header);
            }
            catch (HandleProtocolException)
            {
            }
        }
        Assert.True(accepted > 100, $"only {accepted} mutated messages were accepted; the loop explores too little");
    }

    private static void DecodeBody(HandleMessage message)
    {
        var body = message.Body.Span;
        switch (message.Header.OpCode, message.Header.ResponseCode)
        {
            case (OpCode.Resolution, ResponseCode.Reserved): MessageBodies.ReadResolutionRequest(body); break;
            case (_, ResponseCode.Success) when message.Header.OpCode == OpCode.GetSiteInfo: SiteInfo.Decode(body); break;
            case (OpCode.Resolution, ResponseCode.Success) or (OpCode.CreateHandle or OpCode.AddValue or OpCode.ModifyValue, ResponseCode.Reserved):
                MessageBodies.ReadHandleValues(body); break;
            case (OpCode.RemoveValue, ResponseCode.Reserved): MessageBodies.ReadRemoveValues(body); break;
            case (OpCode.DeleteHandle or OpCode.GetSiteInfo, ResponseCode.Reserved): MessageBodies.ReadHandle(body); break;
            case (_, >= ResponseCode.Error): MessageBodies.ReadError(body); break;
        }
    }
}

internal sealed class Segments : ReadOnlySequenceSegment<byte>
{
    private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Of(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second)
    {
        var head = new Segments(first, 0);
        var tail = new Segments(second, first.Length);
        head.Next = tail;
        return new ReadOnlySequence<byte>(head, 0, tail, second.Length);
    }
}
