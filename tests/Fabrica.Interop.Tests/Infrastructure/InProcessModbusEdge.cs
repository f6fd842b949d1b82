using Fabrica.Edge.Adapters.Modbus;
using Fabrica.Edge.Configuration;
using Fabrica.Edge.Runtime;

namespace Fabrica.Interop.Tests.Infrastructure;

/// <summary>Our edge runtime in the test process, with the Modbus adapter, as <c>fabrica edge</c> would run it.</summary>
public static class InProcessModbusEdge
{
    /// <summary>An edge (not started) from the JSON <paramref name="config"/>, relative paths under <paramref name="directory"/>.</summary>
    public static EdgeRuntime Create(string config, string directory) =>
        new(EdgeConfigLoader.Parse(config, "test", directory), new EdgeRuntimeServices { Adapters = [new ModbusDeviceAdapterFactory()] });
}
