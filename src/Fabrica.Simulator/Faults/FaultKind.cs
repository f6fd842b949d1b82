namespace Fabrica.Simulator.Faults;

/// <summary>A fault that can be injected into a machine, by its coil or on a schedule.</summary>
public enum FaultKind
{
    /// <summary>A bearing defect that grows while injected and stays until the bearings are replaced: vibration and heat rise.</summary>
    BearingDefect,

    /// <summary>Cooling failure (fan, coolant): the temperature rise under load more than doubles, until the machine trips.</summary>
    Overheating,

    /// <summary>CNC: the tool breaks, nearly every part is scrap until a tool change.</summary>
    ToolBreakage,

    /// <summary>Conveyor: the belt jams, the motor stalls, current rises, the drive trips on over-current.</summary>
    BeltJam,

    /// <summary>Pump: a clogged suction strainer, the pump cavitates: head and flow drop, vibration rises.</summary>
    SuctionClog,

    /// <summary>Energy meter: the supply sags to 80 % of its voltage.</summary>
    VoltageSag,
}

/// <summary>Names used in schedules, the CLI and the documentation.</summary>
public static class FaultKindNames
{
    public static string Name(this FaultKind kind) => kind switch
    {
        FaultKind.BearingDefect => "bearing",
        FaultKind.Overheating => "overheating",
        FaultKind.ToolBreakage => "tool-breakage",
        FaultKind.BeltJam => "jam",
        FaultKind.SuctionClog => "clog",
        FaultKind.VoltageSag => "voltage-sag",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool TryParse(string name, out FaultKind kind)
    {
        foreach (var candidate in Enum.GetValues<FaultKind>())
        {
            if (string.Equals(candidate.Name(), name, StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
