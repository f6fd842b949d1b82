using System.Buffers;
using Fabrica.Protocols.Modbus;

namespace Fabrica.Protocols.Tests.Modbus.Framing;

public sealed class ModbusFrameReaderTests
{
    public static TheoryData<byte[]> ValidFrames() => new(ModbusTestFrames.All());

    [Theory]
    [MemberData(nameof(ValidFrames))]
    public void Every_proper_prefix_of_a_valid_frame_needs_more_and_consumes_nothing(byte[] frame)
    {
        for (var length = 0; length < frame.Length; length++)
        {
            var prefix = new ReadOnlySequence<byte>(frame, 0, length);
            Assert.False(ModbusFrameReader.TryRead(prefix, out _, out var consumed));
            Assert.Equal(prefix.Start, consumed);
        }
    }

    [Theory]
    [MemberData(nameof(ValidFrames))]
    public void A_frame_split_across_segments_at_any_point_reads_the_same(byte[] frame)
    {
        for (var cut = 1; cut < frame.Length; cut++)
        {
            var sequence = ModbusTestFrames.Segmented(frame, cut, cut + 3);
            Assert.True(ModbusFrameReader.TryRead(sequence, out var read, out var consumed));
            Assert.Equal(sequence.End, consumed);
            Assert.Equal(frame.AsSpan(ModbusLimits.MbapHeaderLength).ToArray(), read.Pdu.ToArray());
            Assert.Equal((ushort)((frame[0] << 8) | frame[1]), read.TransactionId);
            Assert.Equal(frame[6], read.UnitId);
        }
    }

    [Fact]
    public void Two_frames_in_one_buffer_are_read_one_after_the_other()
    {
        var frames = ModbusTestFrames.Requests().Take(2).ToArray();
        var sequence = new ReadOnlySequence<byte>([.. frames[0], .. frames[1]]);
        Assert.True(ModbusFrameReader.TryRead(sequence, out var first, out var consumed));
        Assert.Equal(1, first.TransactionId);
        sequence = sequence.Slice(consumed);
        Assert.True(ModbusFrameReader.TryRead(sequence, out var second, out consumed));
        Assert.Equal(2, second.TransactionId);
        Assert.Equal(sequence.End, consumed);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0, 0)]
    [InlineData(0, 255)]
    [InlineData(0, 0xFFFF)]
    public void A_length_outside_2_to_254_is_rejected_as_soon_as_the_header_is_complete(int protocolId, int length)
    {
        byte[] header = [0, 1, (byte)(protocolId >> 8), (byte)protocolId, (byte)(length >> 8), (byte)length, 1];
        var error = Assert.Throws<ModbusProtocolException>(() => ModbusFrameReader.TryRead(new ReadOnlySequence<byte>(header), out _, out _));
        Assert.Equal(ModbusProtocolError.InvalidLength, error.Error);
        Assert.Equal(0, error.FrameLength);
    }

    [Theory]
    [InlineData(0, 1, false)]
    [InlineData(0, 255, false)]
    [InlineData(1, 6, false)]
    [InlineData(0, 2, true)]
    [InlineData(0, 254, true)]
    public void Can_start_frame_refuses_exactly_the_headers_that_try_read_throws_for(int protocolId, int length, bool plausible)
    {
        byte[] header = [0, 1, (byte)(protocolId >> 8), (byte)protocolId, (byte)(length >> 8), (byte)length, 1];
        var buffer = new ReadOnlySequence<byte>(header);

        Assert.Equal(plausible, ModbusFrameReader.CanStartFrame(buffer));
        Assert.Equal(plausible, ModbusFrameReader.CanStartFrame(ModbusTestFrames.Segmented(header, 3, 5)));
        Assert.True(ModbusFrameReader.CanStartFrame(buffer.Slice(0, 6)), "fewer than 7 bytes cannot be judged yet");
        if (plausible)
        {
            Assert.False(ModbusFrameReader.TryRead(buffer, out _, out _));
        }
        else
        {
            Assert.Throws<ModbusProtocolException>(() => ModbusFrameReader.TryRead(buffer, out _, out _));
        }
    }

    [Fact]
    public void A_foreign_protocol_id_is_rejected_with_the_frame_length_so_the_frame_can_be_skipped()
    {
        byte[] frame = [0, 1, 0, 1, 0, 6, 1, 3, 0, 0, 0, 1];
        var error = Assert.Throws<ModbusProtocolException>(() => ModbusFrameReader.TryRead(new ReadOnlySequence<byte>(frame), out _, out _));
        Assert.Equal(ModbusProtocolError.InvalidProtocolId, error.Error);
        Assert.Equal(frame.Length, error.FrameLength);
    }

    [Fact]
    public void The_largest_frame_of_260_bytes_is_accepted()
    {
        var frame = new byte[ModbusLimits.MaxAduLength];
        ModbusFrameWriter.WriteHeader(frame, 7, 1, ModbusLimits.MaxPduLength);
        frame[7] = 0x10;
        Assert.True(ModbusFrameReader.TryRead(new ReadOnlySequence<byte>(frame), out var read, out _));
        Assert.Equal(ModbusLimits.MaxPduLength, read.Pdu.Length);
    }
}
