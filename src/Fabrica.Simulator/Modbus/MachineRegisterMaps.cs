using Fabrica.Simulator.Faults;
using Fabrica.Simulator.Machines;
using DataType = Fabrica.Protocols.Modbus.ModbusDataType;
using static Fabrica.Protocols.Modbus.ModbusTable;

namespace Fabrica.Simulator.Modbus;

/// <summary>
/// The register maps of docs/simulator.md — this file is their source; <see cref="RegisterMapDocument"/> prints them
/// and a test checks that the documentation still says the same. Every machine starts with the same block (input
/// registers 0–9); the motor-driven ones share input registers 10–19, coils 0–5 and discrete inputs 0–4.
/// </summary>
public static class MachineRegisterMaps
{
    public static RegisterMap For(Machine machine) => machine switch
    {
        CncMachine cnc => new RegisterMap("CNC machine (cnc-N)", [.. Common(cnc), .. Driven(cnc, FaultKind.ToolBreakage, "inject_tool_breakage"), .. Cnc(cnc)]),
        ConveyorMotor conveyor => new RegisterMap("Conveyor (conveyor-N)", [.. Common(conveyor), .. Driven(conveyor, FaultKind.BeltJam, "inject_belt_jam"), .. Conveyor(conveyor)]),
        Pump pump => new RegisterMap("Pump (pump-N)", [.. Common(pump), .. Driven(pump, FaultKind.SuctionClog, "inject_suction_clog"), .. Pump(pump)]),
        EnergyMeter meter => new RegisterMap("Energy meter (meter-N)", [.. Common(meter), .. Meter(meter)]),
        _ => throw new ArgumentException($"No register map for {machine.GetType().Name}.", nameof(machine)),
    };

    private static RegisterPoint[] Common(Machine m) =>
    [
        new(InputRegisters, 0, "tick_count", DataType.UInt32, "", "Ticks since start: +1 exactly once per simulation tick, wraps at 2³²", () => m.TickCount),
        new(InputRegisters, 2, "sim_time", DataType.UInt32, "s", "Simulated seconds since start (ticks × tick × speed)", () => m.SimulationSeconds),
        new(InputRegisters, 4, "state", DataType.UInt16, "", "0 stopped, 1 running, 2 idle (blocked, tool change), 3 fault (tripped)", () => (int)m.State),
        new(InputRegisters, 5, "fault_bits", DataType.UInt16, "", "Injected: bit 0 bearing defect, 1 overheating, 2 machine fault; tripped: bit 8 over-temperature, 9 over-current", () => (int)m.Faults),
        new(InputRegisters, 6, "run_time", DataType.UInt32, "s", "Simulated seconds in state running (running hours × 3600)", () => m.RunSeconds),
        new(InputRegisters, 8, "kind", DataType.UInt16, "", "1 CNC, 2 conveyor, 3 pump, 4 energy meter", () => (int)m.Kind),
        new(InputRegisters, 9, "line", DataType.UInt16, "", "Line number (N in the machine id)", () => m.Line),
    ];

    private static RegisterPoint[] Driven(DrivenMachine m, FaultKind specific, string specificName) =>
    [
        new(InputRegisters, 10, "current", DataType.Float32, "A", "Motor current; follows the load", () => m.Current),
        new(InputRegisters, 12, "temperature", DataType.Float32, "°C", "Motor/spindle temperature: first-order lag towards ambient + rise ∝ current²; trips above the limit", () => m.Temperature),
        new(InputRegisters, 14, "vibration", DataType.Float32, "mm/s", "Velocity RMS on the bearing; grows with bearing wear³ and a bearing defect", () => m.Vibration),
        new(InputRegisters, 16, "power", DataType.Float32, "kW", "Electrical power drawn", () => m.Power),
        new(InputRegisters, 18, "bearing_wear", DataType.Float32, "%", "Ground truth for RUL models: 100 = rated life used; grows with running hours × load³", () => m.Bearing.Wear * 100),

        new(Coils, 0, "run", DataType.Bool, "", "1 run, 0 stop", () => m.RunCommand ? 1 : 0) { Write = v => m.RunCommand = v != 0 },
        new(Coils, 1, "fault_reset", DataType.Bool, "", "Write 1: clear trips whose cause is gone (over-temperature: below limit − 15 °C)", () => m.FaultResetPending ? 1 : 0)
            { Write = v => { if (v != 0) m.RequestFaultReset(); }, Momentary = true },
        FaultCoil(m, 2, FaultKind.BearingDefect, "inject_bearing_defect", "1: a bearing defect grows (full in 10 min); it stays after 0 until bearings are replaced"),
        FaultCoil(m, 3, FaultKind.Overheating, "inject_overheating", "1: cooling fails, temperature rise × 3; 0: repaired"),
        FaultCoil(m, 4, specific, specificName, SpecificFaultMeaning(specific)),
        new(Coils, 5, "replace_bearings", DataType.Bool, "", "Write 1: new bearing (wear 0), clears a bearing defect", () => m.BearingReplacementPending ? 1 : 0)
            { Write = v => { if (v != 0) m.RequestBearingReplacement(); }, Momentary = true },

        new(DiscreteInputs, 0, "running", DataType.Bool, "", "State is running", () => m.State == MachineState.Running ? 1 : 0),
        new(DiscreteInputs, 1, "idle", DataType.Bool, "", "State is idle", () => m.State == MachineState.Idle ? 1 : 0),
        new(DiscreteInputs, 2, "fault", DataType.Bool, "", "Tripped; needs fault_reset", () => m.Tripped ? 1 : 0),
        new(DiscreteInputs, 3, "temperature_alarm", DataType.Bool, "", "Temperature within 10 °C of the trip limit", () => m.Temperature > m.TripTemperature - 10 ? 1 : 0),
        new(DiscreteInputs, 4, "vibration_alarm", DataType.Bool, "", "Vibration above 7.1 mm/s (ISO 10816-3 zone D)", () => m.Vibration > 7.1 ? 1 : 0),
    ];

    private static RegisterPoint[] Cnc(CncMachine m) =>
    [
        new(InputRegisters, 20, "spindle_speed", DataType.Float32, "rpm", "Actual spindle speed; 0 while idle", () => m.SpindleSpeed),
        new(InputRegisters, 22, "spindle_load", DataType.Float32, "%", "Spindle load; cutting load rises with tool wear", () => m.SpindleLoad * 100),
        new(InputRegisters, 24, "tool_wear", DataType.Float32, "%", "Tool wear; scrap rises past 50 %", () => m.ToolWear * 100),
        new(InputRegisters, 26, "good_parts", DataType.UInt32, "parts", "Good parts delivered to the conveyor (monotonic)", () => m.GoodParts),
        new(InputRegisters, 28, "scrap_parts", DataType.UInt32, "parts", "Scrap parts (monotonic)", () => m.ScrapParts),
        new(InputRegisters, 30, "tool_changes", DataType.UInt32, "", "Tool changes (monotonic)", () => m.ToolChanges),
        new(InputRegisters, 32, "cycle_progress", DataType.Float32, "%", "Progress of the current part's cycle", () => m.CycleProgress * 100),

        new(HoldingRegisters, 0, "spindle_speed_setpoint", DataType.UInt16, "rpm", "Spindle speed set-point", () => m.SpindleSpeedSetpoint)
            { Write = v => m.SpindleSpeedSetpoint = v, Minimum = 1000, Maximum = 12000 },
        new(HoldingRegisters, 1, "feed_override", DataType.UInt16, "%", "Feed override: cycle = 30 s × 100 / feed", () => m.FeedOverride)
            { Write = v => m.FeedOverride = v, Minimum = 10, Maximum = 150 },
        new(HoldingRegisters, 2, "tool_change_limit", DataType.UInt16, "%", "Automatic tool change at this tool wear; 0 = never", () => m.ToolChangeLimit)
            { Write = v => m.ToolChangeLimit = v, Minimum = 0, Maximum = 200 },

        new(Coils, 6, "tool_change", DataType.Bool, "", "Write 1: change the tool (60 s idle; reads 1 until done), clears tool breakage", () => m.ToolChangePending || m.ChangingTool ? 1 : 0)
            { Write = v => { if (v != 0) m.RequestToolChange(); }, Momentary = true },
    ];

    private static RegisterPoint[] Conveyor(ConveyorMotor m) =>
    [
        new(InputRegisters, 20, "belt_speed", DataType.Float32, "m/min", "Actual belt speed", () => m.BeltSpeed),
        new(InputRegisters, 22, "load", DataType.Float32, "kg", "Material on the belt", () => m.Load),
        new(InputRegisters, 24, "items_conveyed", DataType.UInt32, "parts", "Parts taken from the CNC (monotonic)", () => m.ItemsConveyed),

        new(HoldingRegisters, 0, "speed_setpoint", DataType.UInt16, "m/min", "Belt speed set-point", () => m.SpeedSetpoint)
            { Scale = 0.1, Write = v => m.SpeedSetpoint = v, Minimum = 0, Maximum = 600 },
    ];

    private static RegisterPoint[] Pump(Pump m) =>
    [
        new(InputRegisters, 20, "flow", DataType.Float32, "m³/h", "Flow, from the pump curve against the valve", () => m.Flow),
        new(InputRegisters, 22, "pressure", DataType.Float32, "bar", "Discharge pressure (gauge); 8 bar at shut-off", () => m.Pressure),
        new(InputRegisters, 24, "valve_position", DataType.Float32, "%", "Actual valve opening (moves 10 %/s towards the set-point)", () => m.ValvePosition),
        new(InputRegisters, 26, "speed", DataType.Float32, "%", "Actual pump speed", () => m.Speed),

        new(HoldingRegisters, 0, "valve_setpoint", DataType.UInt16, "%", "Valve opening set-point", () => m.ValveSetpoint)
            { Scale = 0.1, Write = v => m.ValveSetpoint = v, Minimum = 0, Maximum = 1000 },
        new(HoldingRegisters, 1, "speed_setpoint", DataType.UInt16, "%", "Drive speed set-point", () => m.SpeedSetpoint)
            { Write = v => m.SpeedSetpoint = v, Minimum = 0, Maximum = 100 },
    ];

    private static RegisterPoint[] Meter(EnergyMeter m) =>
    [
        new(InputRegisters, 10, "voltage", DataType.Float32, "V", "Phase-to-neutral voltage, mean of L1–L3", () => m.Voltage),
        new(InputRegisters, 12, "current", DataType.Float32, "A", "Phase current, mean of L1–L3", () => m.Current),
        new(InputRegisters, 14, "active_power", DataType.Float32, "kW", "Line total: machines + 2.5 kW base load", () => m.ActivePower),
        new(InputRegisters, 16, "apparent_power", DataType.Float32, "kVA", "Apparent power", () => m.ApparentPower),
        new(InputRegisters, 18, "power_factor", DataType.Float32, "", "cos φ", () => m.PowerFactor),
        new(InputRegisters, 20, "frequency", DataType.Float32, "Hz", "Supply frequency", () => m.Frequency),
        new(InputRegisters, 22, "energy", DataType.UInt32, "Wh", "Active energy imported (monotonic; kWh = value × 0.001)", () => m.EnergyWh),

        FaultCoil(m, 0, FaultKind.VoltageSag, "inject_voltage_sag", "1: supply sags to 80 %; 0: restored"),
        new(DiscreteInputs, 0, "voltage_sag", DataType.Bool, "", "Voltage below 90 % of 230 V", () => m.Voltage < 207 ? 1 : 0),
    ];

    private static RegisterPoint FaultCoil(Machine m, ushort address, FaultKind kind, string name, string meaning) =>
        new(Coils, address, name, DataType.Bool, "", meaning, () => m.IsInjected(kind) ? 1 : 0) { Write = v => m.SetFault(kind, v != 0) };

    private static string SpecificFaultMeaning(FaultKind kind) => kind switch
    {
        FaultKind.ToolBreakage => "1: the tool breaks: ~90 % scrap, low spindle load, until a tool change",
        FaultKind.BeltJam => "1: the belt jams: speed 0, current at the limit, trips on over-current after 3 s; 0: cleared",
        FaultKind.SuctionClog => "1: the suction clogs: pump cavitates, head × 0.6, flow drops and fluctuates, vibration +2.5 mm/s; 0: cleaned",
        _ => kind.Name(),
    };
}
