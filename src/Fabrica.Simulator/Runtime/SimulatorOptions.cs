using System.Net;

namespace Fabrica.Simulator.Runtime;

/// <summary>How <see cref="PlantSimulator"/> serves a <see cref="Plant"/>.</summary>
public sealed record SimulatorOptions
{
    public PlantOptions Plant { get; init; } = new();

    /// <summary>Address the Modbus servers listen on.</summary>
    public IPAddress Bind { get; init; } = IPAddress.Loopback;

    /// <summary>Machine i (in <see cref="Runtime.Plant.Machines"/> order) listens on BasePort + i; 0 = any free port each.</summary>
    public int BasePort { get; init; } = 5020;

    /// <summary>Unit identifiers each machine answers to; others get exception 0B.</summary>
    public IReadOnlyList<byte> UnitIds { get; init; } = [1, 255];

    /// <summary>Step the plant on a timer of <see cref="PlantOptions.Tick"/>; false leaves stepping to the caller (tests).</summary>
    public bool RunClock { get; init; } = true;

    public int MaxConnectionsPerMachine { get; init; } = 64;
}
