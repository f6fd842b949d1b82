using Fabrica.Protocols.Modbus;

namespace Fabrica.Simulator.Modbus;

/// <summary>
/// The documented Modbus map of one machine: points per table, each table starting at address 0. Addresses
/// inside a table's extent that no point covers are reserved and read 0; addresses beyond the extent are outside
/// the map (exception 02).
/// </summary>
public sealed class RegisterMap
{
    private readonly Dictionary<ModbusTable, RegisterPoint?[]> _byAddress = [];

    public RegisterMap(string title, IEnumerable<RegisterPoint> points)
    {
        Title = title;
        Points = [.. points.OrderBy(p => TableOrder(p.Table)).ThenBy(p => p.Address)];
        foreach (var group in Points.GroupBy(p => p.Table))
        {
            var extent = group.Max(p => p.Address + p.Width);
            var slots = new RegisterPoint?[extent];
            foreach (var point in group)
            {
                for (var i = 0; i < point.Width; i++)
                {
                    if (slots[point.Address + i] is { } other)
                        throw new ArgumentException($"{title}: {point.Name} overlaps {other.Name} at {point.Table} {point.Address + i}.", nameof(points));
                    slots[point.Address + i] = point;
                }
            }

            _byAddress[group.Key] = slots;
        }
    }

    /// <summary>What the map describes, e.g. "CNC machine (cnc-N)".</summary>
    public string Title { get; }

    public IReadOnlyList<RegisterPoint> Points { get; }

    /// <summary>Number of addresses of <paramref name="table"/> in the map (0 when the machine has none).</summary>
    public int Extent(ModbusTable table) => _byAddress.TryGetValue(table, out var slots) ? slots.Length : 0;

    /// <summary>The point covering <paramref name="address"/>, or null for a reserved or outside address.</summary>
    public RegisterPoint? At(ModbusTable table, int address) =>
        _byAddress.TryGetValue(table, out var slots) && address < slots.Length ? slots[address] : null;

    public RegisterPoint this[string name] => Points.FirstOrDefault(p => p.Name == name)
        ?? throw new KeyNotFoundException($"{Title} has no point '{name}'.");

    internal static int TableOrder(ModbusTable table) => table switch
    {
        ModbusTable.InputRegisters => 0,
        ModbusTable.HoldingRegisters => 1,
        ModbusTable.Coils => 2,
        _ => 3,
    };
}
