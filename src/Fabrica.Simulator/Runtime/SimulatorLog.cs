using Microsoft.Extensions.Logging;

namespace Fabrica.Simulator.Runtime;

internal static partial class SimulatorLog
{
    [LoggerMessage(EventId = 6101, EventName = "FaultStarted", Level = LogLevel.Information, Message = "Fault {Fault} started on {Machine} at {SimulatedSeconds} s (schedule)")]
    public static partial void FaultStarted(ILogger logger, string machine, string fault, double simulatedSeconds);

    [LoggerMessage(EventId = 6102, EventName = "FaultEnded", Level = LogLevel.Information, Message = "Fault {Fault} ended on {Machine} at {SimulatedSeconds} s (schedule)")]
    public static partial void FaultEnded(ILogger logger, string machine, string fault, double simulatedSeconds);

    [LoggerMessage(EventId = 6103, EventName = "MachineStateChanged", Level = LogLevel.Information, Message = "{Machine} is now {State} (faults {Faults}) at {SimulatedSeconds} s")]
    public static partial void StateChanged(ILogger logger, string machine, string state, string faults, double simulatedSeconds);

    [LoggerMessage(EventId = 6104, EventName = "MachineListening", Level = LogLevel.Information, Message = "{Machine} serves Modbus TCP on {EndPoint}")]
    public static partial void Listening(ILogger logger, string machine, string endPoint);

    [LoggerMessage(EventId = 6105, EventName = "ClockBehind", Level = LogLevel.Warning, Message = "Simulation step took {Milliseconds} ms, longer than the {TickMilliseconds} ms tick; ticks are skipped in wall time, never in simulated time")]
    public static partial void ClockBehind(ILogger logger, double milliseconds, double tickMilliseconds);
}
