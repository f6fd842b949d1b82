using Fabrica.Protocols.Modbus;

namespace Fabrica.Protocols.Tests.Modbus.Interop;

/// <summary>Our client against the Debian python3-pymodbus 3.0 server (tests/peers/modbus/pymodbus_server.py).</summary>
[Collection("Modbus interop")]
public sealed class PymodbusInteropTests
{
    [Fact]
    public async Task Our_client_speaks_every_function_code_with_pymodbus()
    {
        using var peer = await ModbusPeer.StartPymodbusAsync();
        await using var client = new ModbusTcpClient(new ModbusClientOptions { Host = "127.0.0.1", Port = peer.Port, RequestTimeout = TimeSpan.FromSeconds(5) });

        Assert.Equal(new ushort[] { 10, 11, 12 }, await client.ReadInputRegistersAsync(1, 0, 3));
        Assert.Equal(new[] { true, false, true, false }, await client.ReadDiscreteInputsAsync(1, 0, 4));

        await client.WriteSingleCoilAsync(1, 3, true);
        await client.WriteMultipleCoilsAsync(1, 10, new[] { true, false, true, true, false, false, false, false, true });
        Assert.Equal(new[] { false, false, false, true }, await client.ReadCoilsAsync(1, 0, 4));
        Assert.Equal(new[] { true, false, true, true, false, false, false, false, true }, await client.ReadCoilsAsync(1, 10, 9));

        await client.WriteSingleRegisterAsync(1, 0, 0xABCD);
        await client.WriteMultipleRegistersAsync(1, 1, new ushort[] { 1, 2, 3 });
        Assert.Equal(new ushort[] { 0xABCD, 1, 2, 3 }, await client.ReadHoldingRegistersAsync(1, 0, 4));

        var read = new ushort[3];
        await client.ReadWriteMultipleRegistersAsync(1, 50, read, 51, new ushort[] { 77, 78 });
        Assert.Equal(new ushort[] { 0, 77, 78 }, read);

        var max = await client.ReadHoldingRegistersAsync(1, 100, ModbusLimits.MaxReadRegisters);
        Assert.Equal(ModbusLimits.MaxReadRegisters, max.Length);
        Assert.Equal(0, client.Counters.DiscardedTotal);
    }

    public static TheoryData<ModbusByteOrder> Orders() => new(Enum.GetValues<ModbusByteOrder>());

    [Theory]
    [MemberData(nameof(Orders))]
    public async Task Values_pymodbus_encoded_decode_here_for_every_type_in_every_byte_order(ModbusByteOrder order)
    {
        using var peer = await ModbusPeer.StartPymodbusAsync();
        await using var client = new ModbusTcpClient(new ModbusClientOptions { Host = "127.0.0.1", Port = peer.Port });

        // pymodbus_server.py: BinaryPayloadBuilder(byteorder, wordorder) at 100 + 40 * (ABCD, CDAB, BADC, DCBA).
        var registers = await client.ReadHoldingRegistersAsync(1, (ushort)(100 + (40 * (int)order)), 20);
        var values = registers.AsSpan();
        Assert.Equal(-1234, ModbusValueCodec.Decode(values[0..], ModbusDataType.Int16, order).AsLong());
        Assert.Equal(54321, ModbusValueCodec.Decode(values[1..], ModbusDataType.UInt16, order).AsLong());
        Assert.Equal(-123456789, ModbusValueCodec.Decode(values[2..], ModbusDataType.Int32, order).AsLong());
        Assert.Equal(3456789012, ModbusValueCodec.Decode(values[4..], ModbusDataType.UInt32, order).AsLong());
        Assert.Equal(123.456f, (float)ModbusValueCodec.Decode(values[6..], ModbusDataType.Float32, order).AsDouble());
        Assert.Equal(-9876.54321, ModbusValueCodec.Decode(values[8..], ModbusDataType.Float64, order).AsDouble());
        Assert.Equal(-1234567890123, ModbusValueCodec.Decode(values[12..], ModbusDataType.Int64, order).AsLong());

        // pymodbus packs strings as plain bytes whatever the byte order: our byte-swapping orders read them swapped.
        var text = order is ModbusByteOrder.ABCD or ModbusByteOrder.CDAB ? "FABRICA1" : "AFRBCI1A";
        Assert.Equal(text, ModbusValueCodec.Decode(values.Slice(16, 4), ModbusDataType.String, order).AsString());
    }

    [Fact]
    public async Task An_address_outside_pymodbus_map_comes_back_as_exception_02_and_the_connection_stays_usable()
    {
        using var peer = await ModbusPeer.StartPymodbusAsync();
        await using var client = new ModbusTcpClient(new ModbusClientOptions { Host = "127.0.0.1", Port = peer.Port });

        var error = await Assert.ThrowsAsync<ModbusException>(async () => await client.ReadHoldingRegistersAsync(1, 299, 2));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, error.ExceptionCode);
        var coilError = await Assert.ThrowsAsync<ModbusException>(async () => await client.WriteSingleCoilAsync(1, 300, true));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, coilError.ExceptionCode);

        Assert.Equal(new ushort[] { 10 }, await client.ReadInputRegistersAsync(1, 0, 1));
        Assert.Equal(1, client.Counters.Connects);
    }

    [Fact]
    public async Task Killing_pymodbus_mid_poll_fails_requests_clearly_and_the_client_reconnects_after_restart()
    {
        using var peer = await ModbusPeer.StartPymodbusAsync();
        await using var client = new ModbusTcpClient(new ModbusClientOptions
        {
            Host = "127.0.0.1",
            Port = peer.Port,
            RequestTimeout = TimeSpan.FromSeconds(2),
            MinReconnectDelay = TimeSpan.FromMilliseconds(20),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
        });
        await using var poll = new PollLoop(client);
        await poll.WaitForSuccessesAsync(5);

        peer.Kill();
        var failure = await poll.WaitForFailureAsync();
        Assert.IsType<ModbusConnectionException>(failure);

        await peer.RestartAsync();
        await poll.WaitForSuccessesAsync(poll.Successes + 5);
        Assert.True(client.Counters.Connects >= 2);
    }
}
