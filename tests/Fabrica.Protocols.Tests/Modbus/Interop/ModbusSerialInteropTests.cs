using System.Text.Json;
using Fabrica.Protocols.Modbus;

namespace Fabrica.Protocols.Tests.Modbus.Interop;

/// <summary>Both directions against npm modbus-serial 8 (tests/peers/modbus/*.js).</summary>
[Collection("Modbus interop")]
public sealed class ModbusSerialInteropTests
{
    [Fact]
    public async Task Our_client_speaks_every_function_code_with_the_modbus_serial_server()
    {
        using var peer = await ModbusPeer.StartModbusSerialAsync();
        await using var client = new ModbusTcpClient(new ModbusClientOptions { Host = "127.0.0.1", Port = peer.Port, RequestTimeout = TimeSpan.FromSeconds(5) });

        Assert.Equal(new ushort[] { 1000, 1001, 1002 }, await client.ReadInputRegistersAsync(1, 0, 3));
        Assert.Equal(new[] { true, false, false, true }, await client.ReadDiscreteInputsAsync(1, 0, 4));
        await client.WriteSingleCoilAsync(1, 3, true);
        await client.WriteMultipleCoilsAsync(1, 10, new[] { true, false, true, true, false, false, false, false, true });
        Assert.Equal(new[] { false, false, false, true }, await client.ReadCoilsAsync(1, 0, 4));
        Assert.Equal(new[] { true, false, true, true, false, false, false, false, true }, await client.ReadCoilsAsync(1, 10, 9));
        await client.WriteSingleRegisterAsync(1, 0, 0xABCD);
        await client.WriteMultipleRegistersAsync(1, 1, new ushort[] { 1, 2, 3 });
        Assert.Equal(new ushort[] { 0xABCD, 1, 2, 3 }, await client.ReadHoldingRegistersAsync(1, 0, 4));
        Assert.Equal(0, client.Counters.DiscardedTotal);
    }

    [Fact]
    public async Task Exception_responses_of_the_modbus_serial_server_map_to_clear_errors()
    {
        using var peer = await ModbusPeer.StartModbusSerialAsync();
        await using var client = new ModbusTcpClient(new ModbusClientOptions { Host = "127.0.0.1", Port = peer.Port });

        var address = await Assert.ThrowsAsync<ModbusException>(async () => await client.ReadHoldingRegistersAsync(1, 99, 2));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, address.ExceptionCode);

        // modbus-serial does not implement function 23: it answers 01 Illegal Function.
        var function = await Assert.ThrowsAsync<ModbusException>(async () =>
            await client.ReadWriteMultipleRegistersAsync(1, 0, new ushort[1], 0, new ushort[] { 1 }));
        Assert.Equal(ModbusExceptionCode.IllegalFunction, function.ExceptionCode);
        Assert.Contains("Illegal Function", function.Message, StringComparison.Ordinal);
        Assert.Equal(1, client.Counters.Connects);
    }

    [Fact]
    public async Task Every_type_in_every_byte_order_survives_a_round_trip_through_the_modbus_serial_server()
    {
        using var peer = await ModbusPeer.StartModbusSerialAsync();
        await using var client = new ModbusTcpClient(new ModbusClientOptions { Host = "127.0.0.1", Port = peer.Port });
        SampleValue[] samples = [true, -1234L, 54321L, -123456789L, 3456789012L, -1234567890123L, 123.456f, -9876.54321, "FABRICA"];
        foreach (var (type, order) in Enum.GetValues<ModbusDataType>().SelectMany(t => Enum.GetValues<ModbusByteOrder>().Select(o => (t, o))))
        {
            var value = samples[(int)type];
            var registers = new ushort[ModbusValueCodec.RegisterCount(type, 4)];
            ModbusValueCodec.Encode(value, type, order, registers);
            await client.WriteMultipleRegistersAsync(1, 20, registers);
            var back = await client.ReadHoldingRegistersAsync(1, 20, registers.Length);
            Assert.Equal(value, ModbusValueCodec.Decode(back, type, order));
        }
    }

    [Fact]
    public async Task Killing_the_modbus_serial_server_mid_poll_fails_requests_and_the_client_reconnects_after_restart()
    {
        using var peer = await ModbusPeer.StartModbusSerialAsync();
        await using var client = new ModbusTcpClient(new ModbusClientOptions
        {
            Host = "127.0.0.1",
            Port = peer.Port,
            MinReconnectDelay = TimeSpan.FromMilliseconds(20),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
        });
        await using var poll = new PollLoop(client);
        await poll.WaitForSuccessesAsync(5);
        peer.Kill();
        Assert.IsType<ModbusConnectionException>(await poll.WaitForFailureAsync());
        await peer.RestartAsync();
        await poll.WaitForSuccessesAsync(poll.Successes + 5);
        Assert.True(client.Counters.Connects >= 2);
    }

    [Fact]
    public async Task The_modbus_serial_client_speaks_every_function_code_with_our_server()
    {
        await using var server = ModbusTestServer.Start();
        server.Unit.Write(ModbusTable.InputRegisters, 10, [11, 12, 13]);
        server.Unit.Write(ModbusTable.DiscreteInputs, 5, [true, false, true]);
        var cdab = new ushort[2];
        ModbusValueCodec.WriteSingle(cdab, 123.456f, ModbusByteOrder.CDAB);
        server.Unit.Write(ModbusTable.HoldingRegisters, 40, cdab);

        var (exit, output) = await ModbusPeer.RunAsync("node", "modbus_serial_client.js", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(exit == 0, output);
        var steps = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.StartsWith('{'))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToDictionary(e => e.GetProperty("step").GetString()!, e => e);

        Assert.Equal("[false,false,false,true]", Data(steps["fc01"]));
        Assert.Equal("[true,true,false,true]", Data(steps["fc01b"]));
        Assert.Equal("[true,false,true]", Data(steps["fc02"]));
        Assert.Equal("[43981,1,2,3]", Data(steps["fc03"]));
        Assert.Equal("[11,12,13]", Data(steps["fc04"]));
        Assert.Equal($"[{cdab[0]},{cdab[1]}]", Data(steps["float-cdab"]));
        Assert.Equal(2, steps["out-of-map"].GetProperty("error").GetInt32());
        foreach (var write in new[] { "fc05", "fc06", "fc15", "fc16" })
        {
            Assert.False(steps[write].TryGetProperty("error", out _), $"{write}: {steps[write]}");
        }

        var coils = new bool[24];
        server.Unit.ReadBits(ModbusTable.Coils, 0, coils);
        Assert.True(coils[3] && coils[20] && coils[21] && !coils[22] && coils[23]);
    }

    // modbus-serial pads coil reads to whole bytes: compare only the requested count.
    private static string Data(JsonElement step)
    {
        Assert.True(step.TryGetProperty("data", out var data), step.ToString());
        var name = step.GetProperty("step").GetString();
        var count = name switch { "fc01" => 4, "fc01b" => 4, "fc02" => 3, _ => data.GetArrayLength() };
        return "[" + string.Join(',', data.EnumerateArray().Take(count).Select(e => e.GetRawText())) + "]";
    }
}
