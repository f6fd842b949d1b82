using CsCheck;
using Fabrica.Protocols.Modbus;

namespace Fabrica.Protocols.Tests.Modbus.Data;

public sealed class ModbusValueCodecTests
{
    public static TheoryData<ModbusByteOrder> Orders() => new(Enum.GetValues<ModbusByteOrder>());

    [Theory]
    [InlineData(ModbusByteOrder.ABCD, new ushort[] { 0x42F6, 0xE979 })]
    [InlineData(ModbusByteOrder.CDAB, new ushort[] { 0xE979, 0x42F6 })]
    [InlineData(ModbusByteOrder.BADC, new ushort[] { 0xF642, 0x79E9 })]
    [InlineData(ModbusByteOrder.DCBA, new ushort[] { 0x79E9, 0xF642 })]
    public void Float32_123_456_lands_in_the_registers_each_byte_order_names(ModbusByteOrder order, ushort[] expected)
    {
        var registers = new ushort[2];
        ModbusValueCodec.WriteSingle(registers, 123.456f, order);
        Assert.Equal(expected, registers);
        Assert.Equal(123.456f, ModbusValueCodec.ReadSingle(registers, order));
    }

    [Theory]
    [InlineData(ModbusByteOrder.ABCD, new ushort[] { 0x0102, 0x0304, 0x0506, 0x0708 })]
    [InlineData(ModbusByteOrder.CDAB, new ushort[] { 0x0708, 0x0506, 0x0304, 0x0102 })]
    [InlineData(ModbusByteOrder.BADC, new ushort[] { 0x0201, 0x0403, 0x0605, 0x0807 })]
    [InlineData(ModbusByteOrder.DCBA, new ushort[] { 0x0807, 0x0605, 0x0403, 0x0201 })]
    public void A_64_bit_value_follows_the_same_word_and_byte_rules(ModbusByteOrder order, ushort[] expected)
    {
        var registers = new ushort[4];
        ModbusValueCodec.WriteInt64(registers, 0x0102030405060708, order);
        Assert.Equal(expected, registers);
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public void Every_numeric_type_round_trips_in_every_byte_order(ModbusByteOrder order)
    {
        RoundTrip(Gen.Short.Select(v => SampleValue.FromLong(v)), ModbusDataType.Int16, order);
        RoundTrip(Gen.UShort.Select(v => SampleValue.FromLong(v)), ModbusDataType.UInt16, order);
        RoundTrip(Gen.Int.Select(v => SampleValue.FromLong(v)), ModbusDataType.Int32, order);
        RoundTrip(Gen.UInt.Select(v => SampleValue.FromLong(v)), ModbusDataType.UInt32, order);
        RoundTrip(Gen.Long.Select(SampleValue.FromLong), ModbusDataType.Int64, order);
        RoundTrip(Gen.Float.Select(v => SampleValue.FromDouble(v)), ModbusDataType.Float32, order);
        RoundTrip(Gen.Double.Select(SampleValue.FromDouble), ModbusDataType.Float64, order);
        RoundTrip(Gen.Bool.Select(SampleValue.FromBool), ModbusDataType.Bool, order);
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public void Strings_round_trip_in_every_byte_order_and_stop_at_the_padding(ModbusByteOrder order)
    {
        Gen.Char['!', '~'].Array[0, 20].Select(c => new string(c)).Sample(text =>
        {
            var registers = new ushort[10];
            ModbusValueCodec.Encode(text, ModbusDataType.String, order, registers);
            Assert.Equal(text, ModbusValueCodec.Decode(registers, ModbusDataType.String, order).AsString());
        });
    }

    [Fact]
    public void A_string_reads_high_byte_first_unless_bytes_are_swapped()
    {
        ushort[] registers = [0x4142, 0x4300];
        Assert.Equal("ABC", ModbusValueCodec.ReadString(registers, ModbusByteOrder.ABCD));
        Assert.Equal("BA", ModbusValueCodec.ReadString(registers, ModbusByteOrder.BADC));
    }

    [Fact]
    public void A_value_that_does_not_fit_its_type_is_refused()
    {
        var registers = new ushort[2];
        Assert.Throws<OverflowException>(() => ModbusValueCodec.Encode(70000L, ModbusDataType.Int16, ModbusByteOrder.ABCD, registers));
        Assert.Throws<ArgumentException>(() => ModbusValueCodec.Encode("too long", ModbusDataType.String, ModbusByteOrder.ABCD, registers));
    }

    private static void RoundTrip(Gen<SampleValue> values, ModbusDataType type, ModbusByteOrder order)
    {
        values.Sample(value =>
        {
            var registers = new ushort[ModbusValueCodec.RegisterCount(type)];
            ModbusValueCodec.Encode(value, type, order, registers);
            var decoded = ModbusValueCodec.Decode(registers, type, order);
            if (type == ModbusDataType.Float32 && double.IsNaN(value.AsDouble()))
            {
                Assert.True(double.IsNaN(decoded.AsDouble()));
                return;
            }

            Assert.Equal(value, decoded);
        });
    }
}
