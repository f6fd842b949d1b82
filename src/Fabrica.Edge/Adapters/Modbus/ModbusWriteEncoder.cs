using Fabrica.Protocols.Modbus;

namespace Fabrica.Edge.Adapters.Modbus;

/// <summary>
/// Turns a raw value from an edge rule or a command into the registers of a tag. Numbers are rounded to the tag's
/// integer type (a rule computes doubles) and refused, not wrapped, when they do not fit.
/// </summary>
internal static class ModbusWriteEncoder
{
    public static ushort[] Encode(string name, ModbusTag tag, SampleValue value)
    {
        var registers = new ushort[tag.Width];
        try
        {
            if (value.Kind == ValueKind.Double && tag.Type is not (ModbusDataType.Float32 or ModbusDataType.Float64 or ModbusDataType.Bool))
            {
                var number = value.AsDouble();
                if (!double.IsFinite(number))
                    throw new OverflowException();
                value = SampleValue.FromLong((long)Math.Round(number, MidpointRounding.AwayFromZero));
            }
            if (tag.Type == ModbusDataType.String && value.AsString().Length > 2 * tag.Width)
                throw new OverflowException();
            ModbusValueCodec.Encode(value, tag.Type, tag.ByteOrder, registers);
        }
        catch (Exception e) when (e is OverflowException or InvalidOperationException)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value.ToString(),
                $"{value} does not fit tag {name} ({ModbusConfigReader.Name(tag.Type)}{(tag.Type == ModbusDataType.String ? $", {2 * tag.Width} characters" : "")}).");
        }
        return registers;
    }
}
