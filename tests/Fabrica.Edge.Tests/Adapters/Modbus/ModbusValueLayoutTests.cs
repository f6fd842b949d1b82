using System.Net;
using Fabrica.Edge.Adapters;
using Fabrica.Edge.Adapters.Modbus;
using Fabrica.Edge.Configuration;
using Fabrica.Protocols.Modbus;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabrica.Edge.Tests.Adapters.Modbus;

/// <summary>
/// Every data type in every byte order, written through the adapter and read back through it from a real Modbus
/// TCP server, and checked against the registers the server holds (encoded independently by the codec).
/// </summary>
public sealed class ModbusValueLayoutTests
{
    public static TheoryData<string, string, object> Layouts()
    {
        var data = new TheoryData<string, string, object>();
        foreach (var order in new[] { "ABCD", "CDAB", "BADC", "DCBA" })
        {
            data.Add("int16", order, -1234L);
            data.Add("uint16", order, 65000L);
            data.Add("int32", order, -123456789L);
            data.Add("uint32", order, 4000000000L);
            data.Add("int64", order, -1234567890123456789L);
            data.Add("float32", order, 123.456f);
            data.Add("float64", order, Math.PI);
            data.Add("string", order, "PUMP-7");
            data.Add("bool", order, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task A_value_written_in_a_byte_order_reads_back_and_lies_in_the_registers_as_the_codec_puts_it(string dataType, string order, object expected)
    {
        var unit = new ModbusMemoryUnit(coils: 16, discreteInputs: 16, inputRegisters: 16, holdingRegisters: 64);
        await using var server = new ModbusTcpServer(new ModbusMemoryDataModel().Add(1, unit),
            new ModbusServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
        server.Start();
        var value = expected switch
        {
            long l => SampleValue.FromLong(l),
            float f => SampleValue.FromDouble(f),
            double d => SampleValue.FromDouble(d),
            string s => SampleValue.FromString(s),
            bool b => SampleValue.FromBool(b),
            _ => throw new ArgumentException("type", nameof(expected)),
        };
        var tag = new TagOptions
        {
            Name = "value",
            Address = "hr:10",
            DataType = dataType,
            Settings = SimulatedPlant.Json(dataType == "string" ? $$"""{"byteOrder": "{{order}}", "length": 8}""" : $$"""{"byteOrder": "{{order}}"}"""),
        };
        var device = new DeviceOptions
        {
            Id = "layout",
            Adapter = "modbus",
            Settings = SimulatedPlant.Json($$"""{"host": "127.0.0.1", "port": {{server.LocalEndPoint.Port}}}"""),
            Tags = [tag],
        };
        await using var adapter = await SimulatedPlant.ConnectAsync(device);

        await adapter.WriteAsync(tag, value);
        var reading = (await SimulatedPlant.ReadAsync(adapter, device.Tags))[0];

        Assert.Equal(Quality.Good, reading.Quality);
        Assert.Equal(value, reading.Value);
        ModbusConfigReader.TryParseDataType(dataType, out var type);
        var width = ModbusValueCodec.RegisterCount(type, 4);
        var expectedRegisters = new ushort[width];
        ModbusValueCodec.Encode(value, type, Enum.Parse<ModbusByteOrder>(order), expectedRegisters);
        var held = new ushort[width];
        unit.ReadRegisters(ModbusTable.HoldingRegisters, 10, held);
        Assert.Equal(expectedRegisters, held);
    }

    [Fact]
    public async Task A_value_that_does_not_fit_its_register_is_refused_not_wrapped()
    {
        var unit = new ModbusMemoryUnit(coils: 1, discreteInputs: 1, inputRegisters: 1, holdingRegisters: 4);
        await using var server = new ModbusTcpServer(new ModbusMemoryDataModel().Add(1, unit),
            new ModbusServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
        server.Start();
        var tag = new TagOptions { Name = "setpoint", Address = "hr:0", DataType = "uint16" };
        var device = new DeviceOptions
        {
            Id = "fit",
            Adapter = "modbus",
            Settings = SimulatedPlant.Json($$"""{"host": "127.0.0.1", "port": {{server.LocalEndPoint.Port}}}"""),
            Tags = [tag],
        };
        await using var adapter = new ModbusDeviceAdapterFactory().Create(device, new AdapterContext(TimeProvider.System, NullLoggerFactory.Instance));
        await adapter.ConnectAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await adapter.WriteAsync(tag, SampleValue.FromLong(70000)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await adapter.WriteAsync(tag, SampleValue.FromDouble(-1)));
    }
}
