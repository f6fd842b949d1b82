using System.Globalization;
using System.Text;
using Fabrica.Protocols.Modbus;

namespace Fabrica.Simulator.Modbus;

/// <summary>Prints register maps as the Markdown tables of docs/simulator.md (<c>fabrica sim --print-map</c>).</summary>
public static class RegisterMapDocument
{
    public static string ToMarkdown(RegisterMap map)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"### {map.Title}\n\n");
        text.Append("| table | address | name | type | unit | scale | access | meaning |\n");
        text.Append("|---|---:|---|---|---|---:|---|---|\n");
        foreach (var point in map.Points)
        {
            var address = point.Width == 1 ? $"{point.Address}" : $"{point.Address}–{point.Address + point.Width - 1}";
            var access = point.Momentary ? "W (momentary)" : point.Writable ? "R/W" : "R";
            var range = point.Writable && point.Table == ModbusTable.HoldingRegisters
                ? $" (raw {point.Minimum.ToString(CultureInfo.InvariantCulture)}–{point.Maximum.ToString(CultureInfo.InvariantCulture)})"
                : "";
            text.Append(CultureInfo.InvariantCulture,
                $"| {TableName(point.Table)} | {address} | `{point.Name}` | {TypeName(point)} | {point.Unit} | {point.Scale.ToString(CultureInfo.InvariantCulture)} | {access} | {point.Description}{range} |\n");
        }

        return text.ToString();
    }

    private static string TableName(ModbusTable table) => table switch
    {
        ModbusTable.InputRegisters => "input register",
        ModbusTable.HoldingRegisters => "holding register",
        ModbusTable.Coils => "coil",
        _ => "discrete input",
    };

    private static string TypeName(RegisterPoint point) => point.Type switch
    {
        ModbusDataType.Float32 => "float32 ABCD",
        ModbusDataType.UInt32 => "uint32 ABCD",
        ModbusDataType.Int32 => "int32 ABCD",
        ModbusDataType.Bool => "bool",
        _ => point.Type.ToString().ToLowerInvariant(),
    };
}
