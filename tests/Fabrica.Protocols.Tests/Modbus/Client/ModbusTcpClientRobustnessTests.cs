using Fabrica.Protocols.Modbus;
using Microsoft.Extensions.Time.Testing;

namespace Fabrica.Protocols.Tests.Modbus.Client;

public sealed class ModbusTcpClientRobustnessTests
{
    // A correct response to "read 2 holding registers" is: tid, 0, 7, unit 1, 03 04 00 01 00 02.
    private static byte[] Response(ushort tid, ushort protocol = 0, ushort length = 7, byte unit = 1, params byte[] pdu) =>
        [(byte)(tid >> 8), (byte)tid, (byte)(protocol >> 8), (byte)protocol, (byte)(length >> 8), (byte)length, unit, .. pdu.Length == 0 ? Good : pdu];

    private static readonly byte[] Good = [3, 4, 0, 1, 0, 2];

    public static TheoryData<string, ModbusProtocolError> BadResponses() => new()
    {
        { "wrong MBAP length (PDU longer than its byte count)", ModbusProtocolError.InvalidLength },
        { "MBAP length beyond 254", ModbusProtocolError.InvalidLength },
        { "protocol id 1", ModbusProtocolError.InvalidProtocolId },
        { "unknown transaction id", ModbusProtocolError.UnknownTransaction },
        { "wrong unit id", ModbusProtocolError.UnexpectedUnit },
        { "truncated PDU", ModbusProtocolError.TruncatedPdu },
        { "byte count that disagrees with the request", ModbusProtocolError.ByteCountMismatch },
        { "another function's response", ModbusProtocolError.FunctionMismatch },
    };

    [Theory]
    [MemberData(nameof(BadResponses))]
    public async Task A_bad_response_is_discarded_and_counted_and_the_good_one_after_it_still_completes_the_request(string kind, ModbusProtocolError reason)
    {
        using var peer = new RawModbusPeer();
        await using var client = new ModbusTcpClient(new ModbusClientOptions { Host = "127.0.0.1", Port = peer.Port, RequestTimeout = TimeSpan.FromSeconds(10) });
        var read = client.ReadHoldingRegistersAsync(1, 0, 2).AsTask();
        await peer.AcceptAsync();
        var request = await peer.ReceiveFrameAsync();
        var tid = (ushort)((request[0] << 8) | request[1]);

        byte[] bad = kind switch
        {
            "wrong MBAP length (PDU longer than its byte count)" => Response(tid, length: 9, pdu: [3, 4, 0, 1, 0, 2, 0, 0]),
            "MBAP length beyond 254" => Response(tid, length: 0x0100),
            "protocol id 1" => Response(tid, protocol: 1),
            "unknown transaction id" => Response((ushort)(tid + 100)),
            "wrong unit id" => Response(tid, unit: 2),
            "truncated PDU" => Response(tid, length: 5, pdu: [3, 4, 0, 1]),
            "byte count that disagrees with the request" => Response(tid, length: 5, pdu: [3, 2, 0, 1]),
            _ => Response(tid, pdu: [4, 4, 0, 1, 0, 2]),
        };
        await peer.SendAsync(bad);
        await RawModbusPeer.WaitUntilAsync(() => client.Counters.Discarded(reason) == 1, $"the {kind} to be counted");
        Assert.False(read.IsCompleted);

        await peer.SendAsync(Response(tid));
        Assert.Equal(new ushort[] { 1, 2 }, await read);
        Assert.Equal(1, client.Counters.Connects);
        Assert.Equal(1, client.Counters.DiscardedTotal);
    }

    [Fact]
    public async Task A_long_run_of_garbage_is_skipped_counted_once_and_the_good_response_after_it_still_completes()
    {
        // 64 KiB that is not Modbus: the client slides byte by byte to the next plausible header without an exception
        // per byte (the modbus fuzz target measured ≈ 17 µs per thrown byte), and trusts only an outstanding id.
        using var peer = new RawModbusPeer();
        await using var client = new ModbusTcpClient(new ModbusClientOptions { Host = "127.0.0.1", Port = peer.Port, RequestTimeout = TimeSpan.FromSeconds(30) });
        var read = client.ReadHoldingRegistersAsync(1, 0, 2).AsTask();
        await peer.AcceptAsync();
        var request = await peer.ReceiveFrameAsync();
        var tid = (ushort)((request[0] << 8) | request[1]);
        var garbage = new byte[64 * 1024];
        new Random(502).NextBytes(garbage);
        garbage[4] = 0xFF; // the first header's length is out of range, so the reader must resynchronise

        await peer.SendAsync(garbage);
        await peer.SendAsync(Response(tid));

        Assert.Equal(new ushort[] { 1, 2 }, await read);
        Assert.Equal(1, client.Counters.DiscardedTotal);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task An_unsolicited_response_is_discarded_and_counted_without_closing_the_connection()
    {
        using var peer = new RawModbusPeer();
        await using var client = new ModbusTcpClient(new ModbusClientOptions { Host = "127.0.0.1", Port = peer.Port });
        await client.ConnectAsync();
        await peer.AcceptAsync();
        await peer.SendAsync(Response(42));
        await RawModbusPeer.WaitUntilAsync(() => client.Counters.Discarded(ModbusProtocolError.UnknownTransaction) == 1, "the unsolicited response to be counted");

        var read = client.ReadHoldingRegistersAsync(1, 0, 2).AsTask();
        var request = await peer.ReceiveFrameAsync();
        await peer.SendAsync(Response((ushort)((request[0] << 8) | request[1])));
        Assert.Equal(new ushort[] { 1, 2 }, await read);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Pipelined_requests_are_matched_by_transaction_id_even_when_answered_out_of_order()
    {
        using var peer = new RawModbusPeer();
        await using var client = new ModbusTcpClient(new ModbusClientOptions { Host = "127.0.0.1", Port = peer.Port, RequestTimeout = TimeSpan.FromSeconds(10) });
        var reads = Enumerable.Range(0, 3).Select(i => client.ReadHoldingRegistersAsync(1, (ushort)i, 1).AsTask()).ToArray();
        await peer.AcceptAsync();
        var requests = new List<byte[]>();
        for (var i = 0; i < 3; i++)
        {
            requests.Add(await peer.ReceiveFrameAsync());
        }

        foreach (var request in Enumerable.Reverse(requests))
        {
            var tid = (ushort)((request[0] << 8) | request[1]);
            await peer.SendAsync(Response(tid, length: 5, pdu: [3, 2, 0, request[9]]));
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(new[] { (ushort)i }, await reads[i]);
        }
    }

    [Fact]
    public async Task A_request_without_response_times_out_on_the_injected_clock_and_a_late_answer_is_counted()
    {
        using var peer = new RawModbusPeer();
        var time = new FakeTimeProvider();
        await using var client = new ModbusTcpClient(new ModbusClientOptions { Host = "127.0.0.1", Port = peer.Port, RequestTimeout = TimeSpan.FromSeconds(1) }, timeProvider: time);
        var read = client.ReadHoldingRegistersAsync(1, 0, 2).AsTask();
        await peer.AcceptAsync();
        var request = await peer.ReceiveFrameAsync();
        time.Advance(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => read);
        Assert.Contains("did not answer ReadHoldingRegisters within 1000 ms", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, client.Counters.Timeouts);

        await peer.SendAsync(Response((ushort)((request[0] << 8) | request[1])));
        await RawModbusPeer.WaitUntilAsync(() => client.Counters.Discarded(ModbusProtocolError.UnknownTransaction) == 1, "the late response to be counted");
    }

    [Fact]
    public async Task An_exception_response_fails_the_request_with_the_code_and_its_name()
    {
        using var peer = new RawModbusPeer();
        await using var client = new ModbusTcpClient(new ModbusClientOptions { Host = "127.0.0.1", Port = peer.Port });
        var read = client.ReadHoldingRegistersAsync(1, 0, 2).AsTask();
        await peer.AcceptAsync();
        var request = await peer.ReceiveFrameAsync();
        await peer.SendAsync(Response((ushort)((request[0] << 8) | request[1]), length: 3, pdu: [0x83, 0x02]));

        var error = await Assert.ThrowsAsync<ModbusException>(() => read);
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, error.ExceptionCode);
        Assert.Equal("Illegal Data Address", error.ExceptionName);
        Assert.Contains("exception 0x02 Illegal Data Address", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dropped_connection_fails_the_requests_in_flight_and_the_next_request_reconnects()
    {
        using var peer = new RawModbusPeer();
        await using var client = new ModbusTcpClient(new ModbusClientOptions { Host = "127.0.0.1", Port = peer.Port, RequestTimeout = TimeSpan.FromSeconds(10) });
        var inFlight = new Task[] { client.ReadHoldingRegistersAsync(1, 0, 2).AsTask(), client.ReadCoilsAsync(1, 0, 2).AsTask() };
        await peer.AcceptAsync();
        await peer.ReceiveFrameAsync();
        await peer.ReceiveFrameAsync();
        peer.Drop();

        foreach (var request in inFlight)
        {
            var error = await Assert.ThrowsAsync<ModbusConnectionException>(() => request);
            Assert.Contains("closed the connection", error.Message, StringComparison.Ordinal);
        }

        var next = client.ReadHoldingRegistersAsync(1, 0, 2).AsTask();
        await peer.AcceptAsync();
        var frame = await peer.ReceiveFrameAsync();
        await peer.SendAsync(Response((ushort)((frame[0] << 8) | frame[1])));
        Assert.Equal(new ushort[] { 1, 2 }, await next);
        Assert.Equal(2, client.Counters.Connects);
    }

    [Fact]
    public async Task Without_a_listener_connecting_fails_clearly_and_backs_off_before_the_next_attempt()
    {
        int port;
        using (var peer = new RawModbusPeer())
        {
            port = peer.Port;
        }

        var time = new FakeTimeProvider();
        await using var client = new ModbusTcpClient(new ModbusClientOptions { Host = "127.0.0.1", Port = port, MinReconnectDelay = TimeSpan.FromSeconds(1) }, timeProvider: time);
        var first = await Assert.ThrowsAsync<ModbusConnectionException>(async () => await client.ReadCoilsAsync(1, 0, 1));
        Assert.Contains("Could not connect", first.Message, StringComparison.Ordinal);
        var backedOff = await Assert.ThrowsAsync<ModbusConnectionException>(async () => await client.ReadCoilsAsync(1, 0, 1));
        Assert.Contains("next attempt is in 1000 ms", backedOff.Message, StringComparison.Ordinal);
        time.Advance(TimeSpan.FromSeconds(1));
        var again = await Assert.ThrowsAsync<ModbusConnectionException>(async () => await client.ReadCoilsAsync(1, 0, 1));
        Assert.Contains("Could not connect", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quantities_beyond_the_spec_limits_are_refused_before_anything_is_sent()
    {
        await using var client = new ModbusTcpClient(new ModbusClientOptions { Host = "127.0.0.1", Port = 1 });
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await client.ReadHoldingRegistersAsync(1, 0, 126));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await client.ReadCoilsAsync(1, 0, 2001));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await client.WriteMultipleRegistersAsync(1, 0, new ushort[124]));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await client.WriteMultipleCoilsAsync(1, 0, new bool[1969]));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await client.ReadHoldingRegistersAsync(1, 65535, 2));
        Assert.Equal(0, client.Counters.Requests);
    }
}
