using System.Globalization;
using System.Text.RegularExpressions;
using Fabrica.Protocols.Modbus;

namespace Fabrica.Protocols.Tests.Modbus.Interop;

/// <summary>Our server against Debian's mbpoll (a libmodbus client).</summary>
[Collection("Modbus interop")]
public sealed partial class MbpollInteropTests
{
    [Fact]
    public async Task Mbpoll_reads_every_table_of_our_server()
    {
        await using var server = ModbusTestServer.Start();
        server.Unit.Write(ModbusTable.Coils, 0, [true, false, true]);
        server.Unit.Write(ModbusTable.DiscreteInputs, 0, [false, true, true]);
        server.Unit.Write(ModbusTable.InputRegisters, 0, [7, 8, 9]);
        server.Unit.Write(ModbusTable.HoldingRegisters, 0, [100, 200, 300]);

        Assert.Equal(["1", "0", "1"], await ReadAsync(server, "0", 0, 3));
        Assert.Equal(["0", "1", "1"], await ReadAsync(server, "1", 0, 3));
        Assert.Equal(["7", "8", "9"], await ReadAsync(server, "3", 0, 3));
        Assert.Equal(["100", "200", "300"], await ReadAsync(server, "4", 0, 3));
    }

    [Fact]
    public async Task Mbpoll_writes_single_and_multiple_coils_and_registers_to_our_server()
    {
        await using var server = ModbusTestServer.Start();
        await WriteAsync(server, "0", 9, "1");
        await WriteAsync(server, "0", 20, "1", "0", "1");
        await WriteAsync(server, "4", 5, "4321");
        await WriteAsync(server, "4", 30, "1", "2", "3");

        var coils = new bool[23];
        server.Unit.ReadBits(ModbusTable.Coils, 0, coils);
        Assert.True(coils[9] && coils[20] && !coils[21] && coils[22]);
        var registers = new ushort[33];
        server.Unit.ReadRegisters(ModbusTable.HoldingRegisters, 0, registers);
        Assert.Equal(4321, registers[5]);
        Assert.Equal(new ushort[] { 1, 2, 3 }, registers[30..33]);
    }

    [Theory]
    [InlineData("4:float", ModbusDataType.Float32, "123.456", false)]
    [InlineData("4:float", ModbusDataType.Float32, "123.456", true)]
    [InlineData("4:int", ModbusDataType.Int32, "-123456789", false)]
    [InlineData("4:int", ModbusDataType.Int32, "-123456789", true)]
    public async Task Thirty_two_bit_values_agree_with_mbpoll_in_both_word_orders(string mbpollType, ModbusDataType type, string text, bool bigEndian)
    {
        // mbpoll's default word order is little-endian (CDAB); -B makes it big-endian (ABCD).
        var order = bigEndian ? ModbusByteOrder.ABCD : ModbusByteOrder.CDAB;
        SampleValue value = type == ModbusDataType.Float32 ? double.Parse(text, CultureInfo.InvariantCulture) : long.Parse(text, CultureInfo.InvariantCulture);
        await using var server = ModbusTestServer.Start();
        var registers = new ushort[2];
        ModbusValueCodec.Encode(value, type, order, registers);
        server.Unit.Write(ModbusTable.HoldingRegisters, 10, registers);

        string[] flags = bigEndian ? ["-B"] : [];
        var read = await ReadAsync(server, mbpollType, 10, 1, flags);
        Assert.Equal(text, read.Single());

        await WriteAsync(server, mbpollType, 20, [.. flags, "--", text]);
        var written = new ushort[2];
        server.Unit.ReadRegisters(ModbusTable.HoldingRegisters, 20, written);
        var decoded = ModbusValueCodec.Decode(written, type, order);
        Assert.Equal(text, type == ModbusDataType.Float32 ? ((float)decoded.AsDouble()).ToString(CultureInfo.InvariantCulture) : decoded.ToString());
    }

    [Fact]
    public async Task Mbpoll_gets_illegal_data_address_beyond_our_map_and_illegal_data_value_beyond_the_spec_limit()
    {
        await using var server = ModbusTestServer.Start(size: 100);
        var (_, outOfMap) = await MbpollAsync(server, "-t", "4", "-r", "99", "-c", "2", "-1");
        Assert.Contains("Illegal data address", outOfMap, StringComparison.OrdinalIgnoreCase);

        // mbpoll refuses counts above 125 itself; 125 at 0 is inside the limit but outside a 100-register map.
        var (_, atLimit) = await MbpollAsync(server, "-t", "4", "-r", "0", "-c", "125", "-1");
        Assert.Contains("Illegal data address", atLimit, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<string[]> ReadAsync(ModbusTestServer server, string table, int address, int count, params string[] flags)
    {
        var (exit, output) = await MbpollAsync(server, [.. flags, "-t", table, "-r", address.ToString(CultureInfo.InvariantCulture), "-c", count.ToString(CultureInfo.InvariantCulture), "-1"]);
        Assert.True(exit == 0, output);
        return ValueLine().Matches(output).Select(m => m.Groups[1].Value).ToArray();
    }

    private static async Task WriteAsync(ModbusTestServer server, string table, int address, params string[] values)
    {
        var flags = values.TakeWhile(v => v.StartsWith('-') && v != "--").ToArray();
        var rest = values.Skip(flags.Length).SkipWhile(v => v == "--").Prepend("--").ToArray();
        var (exit, output) = await MbpollAsync(server, [.. flags, "-t", table, "-r", address.ToString(CultureInfo.InvariantCulture), .. rest]);
        Assert.True(exit == 0, output);
    }

    // -0: PDU (zero-based) addressing, as our server's addresses.
    private static Task<(int ExitCode, string Output)> MbpollAsync(ModbusTestServer server, params string[] arguments)
    {
        string[] head = ["-m", "tcp", "-a", "1", "-p", server.Port.ToString(CultureInfo.InvariantCulture), "-0"];
        var hostAt = Array.IndexOf(arguments, "--");
        string[] args = hostAt >= 0
            ? [.. head, .. arguments[..hostAt], "127.0.0.1", "--", .. arguments[(hostAt + 1)..]]
            : [.. head, .. arguments, "127.0.0.1"];
        return ModbusPeer.RunAsync("mbpoll", args);
    }

    [GeneratedRegex(@"^\[\d+\]:\s+(-?[\d.]+)", RegexOptions.Multiline)]
    private static partial Regex ValueLine();
}
