using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Fabrica.Protocols.Modbus;

namespace Fabrica.Edge.Adapters.Modbus;

/// <summary>
/// A tag's <c>address</c> in the edge configuration: a table prefix and the zero-based PDU address (Application
/// Protocol §4.4), e.g. <c>hr:100</c>. One string per tag keeps the configuration short and reads as the register
/// maps in manuals do; the prefix names the table so that no "40001-style" offset has to be guessed.
/// </summary>
internal readonly record struct ModbusTagAddress(ModbusTable Table, ushort Address)
{
    /// <summary>What an error message offers as valid forms.</summary>
    public const string Syntax = "\"hr:<n>\" (holding register), \"ir:<n>\" (input register), \"coil:<n>\" or \"di:<n>\" (discrete input), n = zero-based address 0–65535";

    public static bool TryParse(string? text, out ModbusTagAddress address, [NotNullWhen(false)] out string? error)
    {
        address = default;
        error = null;
        var colon = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (text is null || colon < 0)
        {
            error = text is not null && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var legacy) && legacy is >= 1 and <= 49999
                ? $"\"{text}\" has no table; write {Hint(legacy)}, or one of {Syntax}."
                : $"\"{text}\" is not a Modbus address; write {Syntax}.";
            return false;
        }
        ModbusTable? table = text[..colon].Trim().ToLowerInvariant() switch
        {
            "hr" => ModbusTable.HoldingRegisters,
            "ir" => ModbusTable.InputRegisters,
            "coil" => ModbusTable.Coils,
            "di" => ModbusTable.DiscreteInputs,
            _ => null,
        };
        if (table is null)
        {
            error = $"\"{text[..colon]}\" is not a Modbus table; write {Syntax}.";
            return false;
        }
        if (!ushort.TryParse(text.AsSpan(colon + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            error = $"\"{text[(colon + 1)..]}\" is not an address; use a whole number 0–65535 (zero-based, as on the wire: register 40001 is \"hr:0\").";
            return false;
        }
        address = new ModbusTagAddress(table.Value, number);
        return true;
    }

    public override string ToString() => Prefix(Table) + ":" + Address.ToString(CultureInfo.InvariantCulture);

    public static string Prefix(ModbusTable table) => table switch
    {
        ModbusTable.HoldingRegisters => "hr",
        ModbusTable.InputRegisters => "ir",
        ModbusTable.Coils => "coil",
        _ => "di",
    };

    /// <summary>"40101" (one-based, table in the leading digit) → "hr:100"; the usual source of off-by-one addresses.</summary>
    private static string Hint(int legacy)
    {
        var (prefix, offset) = (legacy / 10000) switch
        {
            0 => ("coil", 1),
            1 => ("di", 10001),
            3 => ("ir", 30001),
            4 => ("hr", 40001),
            _ => ("", 0),
        };
        return prefix.Length == 0 || legacy - offset > ushort.MaxValue
            ? "the table and the zero-based address"
            : $"\"{prefix}:{(legacy - offset).ToString(CultureInfo.InvariantCulture)}\" if {legacy} is a one-based \"{legacy / 10000}xxxx\" number";
    }
}
