using System.Net.Sockets;
using Fabrica.Protocols.Modbus;

namespace Fabrica.Protocols.Tests.Modbus.Server;

public sealed class ModbusTcpServerTests
{
    [Fact]
    public async Task Our_client_and_server_agree_on_every_function_code()
    {
        await using var peer = ModbusTestServer.Start();
        await using var client = peer.CreateClient();
        peer.Unit.Write(ModbusTable.InputRegisters, 10, [11, 12, 13]);
        peer.Unit.Write(ModbusTable.DiscreteInputs, 5, [true, false, true]);

        await client.WriteSingleCoilAsync(1, 3, true);
        await client.WriteMultipleCoilsAsync(1, 20, new[] { true, true, false, true });
        await client.WriteSingleRegisterAsync(1, 0, 0xABCD);
        await client.WriteMultipleRegistersAsync(1, 1, new ushort[] { 1, 2, 3 });
        var readBack = new ushort[2];
        await client.ReadWriteMultipleRegistersAsync(1, 0, readBack, 50, new ushort[] { 7, 8 });

        Assert.Equal(new[] { false, false, false, true }, await client.ReadCoilsAsync(1, 0, 4));
        Assert.Equal(new[] { true, true, false, true }, await client.ReadCoilsAsync(1, 20, 4));
        Assert.Equal(new[] { true, false, true }, await client.ReadDiscreteInputsAsync(1, 5, 3));
        Assert.Equal(new ushort[] { 0xABCD, 1, 2, 3 }, await client.ReadHoldingRegistersAsync(1, 0, 4));
        Assert.Equal(new ushort[] { 11, 12, 13 }, await client.ReadInputRegistersAsync(1, 10, 3));
        Assert.Equal(new ushort[] { 0xABCD, 1 }, readBack);
        Assert.Equal(new ushort[] { 7, 8 }, await client.ReadHoldingRegistersAsync(1, 50, 2));
    }

    [Theory]
    [InlineData(new byte[] { 0x2B, 0x0E, 1, 0 }, 0x01)]
    [InlineData(new byte[] { 0x03, 0, 0, 0, 0 }, 0x03)]
    [InlineData(new byte[] { 0x03, 0, 0, 0, 126 }, 0x03)]
    [InlineData(new byte[] { 0x01, 0, 0, 0x07, 0xD1 }, 0x03)]
    [InlineData(new byte[] { 0x10, 0, 0, 0, 124, 248 }, 0x03)]
    [InlineData(new byte[] { 0x0F, 0, 0, 0x07, 0xB1, 0xF7 }, 0x03)]
    [InlineData(new byte[] { 0x03, 0, 99, 0, 2 }, 0x02)]
    [InlineData(new byte[] { 0x04, 0, 100, 0, 1 }, 0x02)]
    [InlineData(new byte[] { 0x05, 0, 100, 0xFF, 0 }, 0x02)]
    [InlineData(new byte[] { 0x06, 0xFF, 0xFF, 0, 1 }, 0x02)]
    public async Task The_server_answers_bad_requests_with_the_exception_the_spec_prescribes(byte[] pdu, byte expectedCode)
    {
        await using var peer = ModbusTestServer.Start();
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", peer.Port);
        await socket.SendAsync(ModbusTestFrames.Frame(0x0102, 1, pdu));

        var response = await ReceiveFrameAsync(socket);
        Assert.Equal(new byte[] { 0x01, 0x02, 0, 0, 0, 3, 1, (byte)(pdu[0] | 0x80), expectedCode }, response);
    }

    [Fact]
    public async Task An_unknown_unit_is_answered_with_gateway_target_failed_to_respond()
    {
        await using var peer = ModbusTestServer.Start();
        await using var client = peer.CreateClient();
        var error = await Assert.ThrowsAsync<ModbusException>(async () => await client.ReadHoldingRegistersAsync(9, 0, 1));
        Assert.Equal(ModbusExceptionCode.GatewayTargetDeviceFailedToRespond, error.ExceptionCode);
    }

    [Fact]
    public async Task A_frame_with_a_foreign_protocol_id_is_skipped_and_the_next_one_answered()
    {
        await using var peer = ModbusTestServer.Start();
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", peer.Port);
        byte[] foreign = [0, 1, 0, 7, 0, 6, 1, 3, 0, 0, 0, 1];
        await socket.SendAsync((byte[])[.. foreign, .. ModbusTestFrames.Frame(2, 1, [3, 0, 0, 0, 1])]);
        Assert.Equal(new byte[] { 0, 2, 0, 0, 0, 5, 1, 3, 2, 0, 0 }, await ReceiveFrameAsync(socket));
    }

    [Fact]
    public async Task Many_clients_poll_one_server_at_once_with_pipelined_requests()
    {
        await using var peer = ModbusTestServer.Start();
        for (ushort i = 0; i < 100; i++)
        {
            peer.Unit.Write(ModbusTable.HoldingRegisters, i, [i]);
        }

        var clients = Enumerable.Range(0, 20).Select(_ => peer.CreateClient()).ToArray();
        try
        {
            await Task.WhenAll(clients.Select(async (client, c) =>
            {
                var reads = Enumerable.Range(0, 50).Select(async i =>
                {
                    var address = (ushort)((c + i) % 98);
                    Assert.Equal(new[] { address, (ushort)(address + 1) }, await client.ReadHoldingRegistersAsync(1, address, 2));
                });
                await Task.WhenAll(reads);
            }));
            Assert.All(clients, c => Assert.Equal(50, c.Counters.Responses));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    private static async Task<byte[]> ReceiveFrameAsync(Socket socket)
    {
        var buffer = new byte[260];
        var length = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (length < 7 || length < 6 + ((buffer[4] << 8) | buffer[5]))
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            Assert.NotEqual(0, read);
            length += read;
        }

        return buffer[..length];
    }
}
