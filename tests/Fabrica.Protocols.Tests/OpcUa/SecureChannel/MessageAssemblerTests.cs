using Fabrica.Protocols.OpcUa;
using Fabrica.Protocols.OpcUa.SecureChannel;
using Fabrica.Protocols.OpcUa.Transport;

namespace Fabrica.Protocols.Tests.OpcUa.SecureChannel;

public sealed class MessageAssemblerTests
{
    [Fact]
    public void Chunks_of_interleaved_messages_are_joined_per_request_id()
    {
        using var assembler = new MessageAssembler(1 << 20, 16);

        Assert.Equal(AssemblyResult.Incomplete, assembler.Append(1, UaTcpChunkType.Intermediate, [1, 2], out _));
        Assert.Equal(AssemblyResult.Incomplete, assembler.Append(2, UaTcpChunkType.Intermediate, [9], out _));
        Assert.Equal(AssemblyResult.Complete, assembler.Append(1, UaTcpChunkType.Final, [3], out var first));
        Assert.Equal(new byte[] { 1, 2, 3 }, first.ToArray());
        Assert.Equal(AssemblyResult.Complete, assembler.Append(2, UaTcpChunkType.Final, [8], out var second));
        Assert.Equal(new byte[] { 9, 8 }, second.ToArray());
        Assert.Equal(0, assembler.PartialCount);
    }

    [Fact]
    public void An_abort_chunk_discards_the_partial_message_and_carries_the_error()
    {
        using var assembler = new MessageAssembler(1 << 20, 16);
        assembler.Append(7, UaTcpChunkType.Intermediate, [1, 2, 3], out _);
        var abort = new ErrorMessage(StatusCodes.BadResponseTooLarge, "no").Encode()[8..];

        Assert.Equal(AssemblyResult.Aborted, assembler.Append(7, UaTcpChunkType.Abort, abort, out var error));
        Assert.Equal(StatusCodes.BadResponseTooLarge, ErrorMessage.Decode(error).Error);
        Assert.Equal(0, assembler.PartialCount);
    }

    [Fact]
    public void A_flood_of_chunks_beyond_the_chunk_count_is_refused_with_bounded_memory()
    {
        using var assembler = new MessageAssembler(1 << 30, 64);
        var chunk = new byte[8000];
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<OpcUaServiceException>(() =>
        {
            for (var i = 0; i < 100_000; i++)
            {
                assembler.Append(1, UaTcpChunkType.Intermediate, chunk, out _);
            }
        });

        Assert.Equal(StatusCodes.BadTcpMessageTooLarge, error.StatusCode);
        Assert.Equal(0, assembler.PartialCount);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 2 << 20);
    }

    [Fact]
    public void A_flood_of_complete_multi_chunk_messages_reuses_pooled_buffers_instead_of_growing_memory()
    {
        // 20 000 messages of 3 × 4 KiB (240 MB in all): reassembly buffers go back to the pool after each message,
        // so a flood does not turn into allocations the size of its bodies (CVE class: memory not reclaimed under floods).
        using var assembler = new MessageAssembler(1 << 20, 16);
        var chunk = new byte[4096];
        for (uint id = 0; id < 100; id++)
        {
            AppendMessage(assembler, id, chunk);
        }
        var before = GC.GetAllocatedBytesForCurrentThread();

        for (uint id = 100; id < 20_100; id++)
        {
            AppendMessage(assembler, id, chunk);
        }

        // Unpooled, each message would allocate at least its 12 KiB body; bookkeeping stays far below one chunk.
        var perMessage = (GC.GetAllocatedBytesForCurrentThread() - before) / 20_000;
        Assert.Equal(0, assembler.PartialCount);
        Assert.True(perMessage < chunk.Length / 2, $"reassembly allocated {perMessage} bytes per message");
    }

    private static void AppendMessage(MessageAssembler assembler, uint requestId, byte[] chunk)
    {
        assembler.Append(requestId, UaTcpChunkType.Intermediate, chunk, out _);
        assembler.Append(requestId, UaTcpChunkType.Intermediate, chunk, out _);
        Assert.Equal(AssemblyResult.Complete, assembler.Append(requestId, UaTcpChunkType.Final, chunk, out var message));
        Assert.Equal(3 * chunk.Length, message.Length);
    }

    [Fact]
    public void A_message_beyond_the_size_limit_is_refused_and_so_are_too_many_partial_messages()
    {
        using var assembler = new MessageAssembler(10_000, 1000, maxPartialMessages: 4);
        var error = Assert.Throws<OpcUaServiceException>(() =>
        {
            for (var i = 0; i < 20; i++)
            {
                assembler.Append(1, UaTcpChunkType.Intermediate, new byte[1000], out _);
            }
        });
        Assert.Equal(StatusCodes.BadTcpMessageTooLarge, error.StatusCode);

        for (uint id = 10; id < 14; id++)
        {
            assembler.Append(id, UaTcpChunkType.Intermediate, [1], out _);
        }
        Assert.Equal(StatusCodes.BadTcpNotEnoughResources,
            Assert.Throws<OpcUaServiceException>(() => assembler.Append(99, UaTcpChunkType.Intermediate, [1], out _)).StatusCode);
    }

    [Fact]
    public void Sequence_numbers_must_increase_by_one_and_may_wrap_below_1024()
    {
        var numbers = default(SequenceNumbers);
        numbers.Accept(5);
        numbers.Accept(6);
        Assert.Equal(StatusCodes.BadSequenceNumberInvalid, Assert.Throws<OpcUaServiceException>(() => numbers.Accept(8)).StatusCode);

        var wrapping = default(SequenceNumbers);
        wrapping.Accept(SequenceNumbers.WrapThreshold + 1);
        wrapping.Accept(3);
        wrapping.Accept(4);
    }
}
