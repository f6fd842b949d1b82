using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Fabrica.Protocols.Modbus;

/// <summary>The "Fabrica.Modbus" meter: instruments shared by every client and server of the process.</summary>
public static class ModbusMetrics
{
    public const string MeterName = "Fabrica.Modbus";

    internal static readonly Meter Meter = new(MeterName);

    internal static readonly Counter<long> Requests = Meter.CreateCounter<long>("fabrica.modbus.client.requests", description: "Requests sent by Modbus clients.");

    internal static readonly Counter<long> Timeouts = Meter.CreateCounter<long>("fabrica.modbus.client.timeouts", description: "Requests that got no response in time.");

    internal static readonly Counter<long> ExceptionResponses = Meter.CreateCounter<long>("fabrica.modbus.client.exception_responses", description: "Exception responses received (Application Protocol §7).");

    internal static readonly Counter<long> Discarded = Meter.CreateCounter<long>("fabrica.modbus.client.discarded", description: "Received frames discarded as malformed or unmatched, by reason.");

    internal static readonly Counter<long> Connects = Meter.CreateCounter<long>("fabrica.modbus.client.connects", description: "TCP connections opened by Modbus clients.");

    internal static readonly Counter<long> ServerRequests = Meter.CreateCounter<long>("fabrica.modbus.server.requests", description: "Requests answered by Modbus servers.");

    internal static readonly Counter<long> ServerExceptions = Meter.CreateCounter<long>("fabrica.modbus.server.exception_responses", description: "Exception responses sent by Modbus servers, by code.");

    internal static TagList Endpoint(string endpoint) => new() { { "endpoint", endpoint } };
}
