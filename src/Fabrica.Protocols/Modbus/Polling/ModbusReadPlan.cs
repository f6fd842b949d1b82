using System.Buffers;

namespace Fabrica.Protocols.Modbus;

/// <summary>
/// The reads that cover a tag list (<see cref="ModbusReadPlanner"/>) and how to run them: all requests of a poll
/// go out at once (pipelined by the client), and each response is split back into its tags. A failed request
/// marks only its own tags bad.
/// </summary>
public sealed class ModbusReadPlan
{
    internal ModbusReadPlan(IReadOnlyList<ModbusTag> tags, IReadOnlyList<ModbusPlannedRead> reads)
    {
        Tags = tags;
        Reads = reads;
    }

    public IReadOnlyList<ModbusTag> Tags { get; }

    public IReadOnlyList<ModbusPlannedRead> Reads { get; }

    /// <summary>Polls every tag once; <paramref name="results"/>[i] receives tag i's reading.</summary>
    public async ValueTask ReadAsync(ModbusTcpClient client, ModbusTagReading[] results, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(results);
        if (results.Length < Tags.Count)
        {
            throw new ArgumentException($"Room for {Tags.Count} readings is needed.", nameof(results));
        }

        if (Reads.Count == 1)
        {
            await ReadOneAsync(client, Reads[0], results, cancellationToken).ConfigureAwait(false);
            return;
        }

        var pending = new Task[Reads.Count];
        for (var i = 0; i < pending.Length; i++)
        {
            pending[i] = ReadOneAsync(client, Reads[i], results, cancellationToken).AsTask();
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
    }

    /// <summary>Splits the registers (or bits) of one read back into the tags it covers.</summary>
    public void Split(ModbusPlannedRead read, ReadOnlySpan<ushort> registers, ReadOnlySpan<bool> bits, Span<ModbusTagReading> results)
    {
        ArgumentNullException.ThrowIfNull(read);
        foreach (var index in read.TagIndexes)
        {
            var tag = Tags[index];
            var offset = tag.Address - read.Address;
            results[index] = tag.Table.IsBits()
                ? ModbusTagReading.Good(SampleValue.FromBool(bits[offset]))
                : ModbusTagReading.Good(ModbusValueCodec.Decode(registers.Slice(offset, tag.Width), tag.Type, tag.ByteOrder));
        }
    }

    private async ValueTask ReadOneAsync(ModbusTcpClient client, ModbusPlannedRead read, ModbusTagReading[] results, CancellationToken cancellationToken)
    {
        ushort[]? registers = null;
        bool[]? bits = null;
        try
        {
            var address = read.Address;
            switch (read.Table)
            {
                case ModbusTable.Coils:
                    bits = ArrayPool<bool>.Shared.Rent(read.Count);
                    await client.ReadCoilsAsync(read.UnitId, address, bits.AsMemory(0, read.Count), cancellationToken).ConfigureAwait(false);
                    break;
                case ModbusTable.DiscreteInputs:
                    bits = ArrayPool<bool>.Shared.Rent(read.Count);
                    await client.ReadDiscreteInputsAsync(read.UnitId, address, bits.AsMemory(0, read.Count), cancellationToken).ConfigureAwait(false);
                    break;
                case ModbusTable.InputRegisters:
                    registers = ArrayPool<ushort>.Shared.Rent(read.Count);
                    await client.ReadInputRegistersAsync(read.UnitId, address, registers.AsMemory(0, read.Count), cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    registers = ArrayPool<ushort>.Shared.Rent(read.Count);
                    await client.ReadHoldingRegistersAsync(read.UnitId, address, registers.AsMemory(0, read.Count), cancellationToken).ConfigureAwait(false);
                    break;
            }

            Split(read, registers.AsSpan(0, registers is null ? 0 : read.Count), bits.AsSpan(0, bits is null ? 0 : read.Count), results);
        }
        catch (Exception ex) when (ex is ModbusException or ModbusConnectionException or TimeoutException)
        {
            foreach (var index in read.TagIndexes)
            {
                results[index] = ModbusTagReading.Bad(ex);
            }
        }
        finally
        {
            if (registers is not null)
            {
                ArrayPool<ushort>.Shared.Return(registers);
            }

            if (bits is not null)
            {
                ArrayPool<bool>.Shared.Return(bits);
            }
        }
    }
}
