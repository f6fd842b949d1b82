using Fabrica.Protocols.Modbus;

namespace Fabrica.Protocols.Tests.Modbus.Polling;

public sealed class ModbusReadPlannerTests
{
    [Fact]
    public void Adjacent_tags_of_one_unit_and_table_merge_into_one_request()
    {
        var plan = ModbusReadPlanner.Plan([
            new(1, ModbusTable.HoldingRegisters, 10, ModbusDataType.Float32),
            new(1, ModbusTable.HoldingRegisters, 12, ModbusDataType.Int16),
            new(1, ModbusTable.HoldingRegisters, 13, ModbusDataType.Float64),
            new(1, ModbusTable.InputRegisters, 13, ModbusDataType.UInt16),
            new(2, ModbusTable.HoldingRegisters, 10, ModbusDataType.UInt16),
        ]);

        Assert.Equal(3, plan.Reads.Count);
        var merged = plan.Reads.Single(r => r.UnitId == 1 && r.Table == ModbusTable.HoldingRegisters);
        Assert.Equal((10, 7), ((int)merged.Address, merged.Count));
        Assert.Equal([0, 1, 2], merged.TagIndexes);
    }

    [Fact]
    public void A_gap_is_bridged_only_up_to_the_configured_maximum()
    {
        ModbusTag[] tags = [new(1, ModbusTable.HoldingRegisters, 0, ModbusDataType.UInt16), new(1, ModbusTable.HoldingRegisters, 5, ModbusDataType.UInt16)];
        Assert.Equal(2, ModbusReadPlanner.Plan(tags).Reads.Count);
        Assert.Equal(2, ModbusReadPlanner.Plan(tags, new() { MaxGap = 3 }).Reads.Count);
        var bridged = Assert.Single(ModbusReadPlanner.Plan(tags, new() { MaxGap = 4 }).Reads);
        Assert.Equal(6, bridged.Count);
    }

    [Fact]
    public void A_request_never_exceeds_the_spec_maximum_of_125_registers_or_2000_bits()
    {
        var registers = Enumerable.Range(0, 300).Select(i => new ModbusTag(1, ModbusTable.InputRegisters, (ushort)i, ModbusDataType.UInt16)).ToArray();
        var plan = ModbusReadPlanner.Plan(registers);
        Assert.Equal([125, 125, 50], plan.Reads.Select(r => r.Count));

        var bits = Enumerable.Range(0, 4500).Select(i => new ModbusTag(1, ModbusTable.Coils, (ushort)i, ModbusDataType.Bool)).ToArray();
        Assert.Equal([2000, 2000, 500], ModbusReadPlanner.Plan(bits).Reads.Select(r => r.Count));
    }

    [Fact]
    public void Every_tag_is_covered_by_exactly_one_request_that_contains_it()
    {
        var random = new Random(42);
        var tags = Enumerable.Range(0, 500).Select(_ => new ModbusTag(
            (byte)random.Next(1, 4), (ModbusTable)random.Next(2, 4), (ushort)random.Next(0, 2000),
            (ModbusDataType)random.Next(1, 8), ModbusByteOrder.CDAB)).ToArray();
        var plan = ModbusReadPlanner.Plan(tags, new() { MaxGap = 8 });

        var covered = plan.Reads.SelectMany(r => r.TagIndexes.Select(i => (Read: r, Index: i))).ToList();
        Assert.Equal(Enumerable.Range(0, tags.Length), covered.Select(c => c.Index).Order());
        Assert.All(covered, c =>
        {
            var tag = tags[c.Index];
            Assert.True(tag.UnitId == c.Read.UnitId && tag.Table == c.Read.Table);
            Assert.True(tag.Address >= c.Read.Address && tag.Address + tag.Width <= c.Read.Address + c.Read.Count);
            Assert.True(c.Read.Count <= ModbusLimits.MaxReadRegisters);
        });
    }

    [Fact]
    public async Task A_coalesced_poll_splits_responses_back_into_typed_tags_and_marks_only_failed_reads_bad()
    {
        await using var server = ModbusTestServer.Start(size: 100);
        var registers = new ushort[6];
        ModbusValueCodec.WriteSingle(registers, 21.5f, ModbusByteOrder.CDAB);
        ModbusValueCodec.WriteInt32(registers.AsSpan(2), -7, ModbusByteOrder.ABCD);
        ModbusValueCodec.WriteString(registers.AsSpan(4), "OK", ModbusByteOrder.ABCD);
        server.Unit.Write(ModbusTable.HoldingRegisters, 10, registers);
        server.Unit.Write(ModbusTable.Coils, 3, [true]);
        await using var client = server.CreateClient();

        var plan = ModbusReadPlanner.Plan([
            new(1, ModbusTable.HoldingRegisters, 10, ModbusDataType.Float32, ModbusByteOrder.CDAB),
            new(1, ModbusTable.HoldingRegisters, 12, ModbusDataType.Int32),
            new(1, ModbusTable.HoldingRegisters, 14, ModbusDataType.String, StringRegisters: 2),
            new(1, ModbusTable.Coils, 3, ModbusDataType.Bool),
            new(1, ModbusTable.InputRegisters, 99, ModbusDataType.Float32),
        ]);
        var results = new ModbusTagReading[5];
        await plan.ReadAsync(client, results);

        Assert.Equal(3, plan.Reads.Count);
        Assert.Equal(21.5, results[0].Value.AsDouble());
        Assert.Equal(-7, results[1].Value.AsLong());
        Assert.Equal("OK", results[2].Value.AsString());
        Assert.True(results[3].Value.AsBool());
        Assert.Equal(Quality.Bad, results[4].Quality);
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, Assert.IsType<ModbusException>(results[4].Error).ExceptionCode);
    }
}
