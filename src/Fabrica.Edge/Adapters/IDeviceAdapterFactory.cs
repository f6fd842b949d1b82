using Fabrica.Edge.Configuration;
using Microsoft.Extensions.Logging;

namespace Fabrica.Edge.Adapters;

/// <summary>
/// Creates adapters of one kind (the <c>adapter</c> field of a device in the configuration, e.g. <c>modbus</c>).
/// The host registers one factory per kind with the runtime.
/// </summary>
public interface IDeviceAdapterFactory
{
    /// <summary>The value of <c>adapter</c> this factory handles (lower case, e.g. <c>modbus</c>, <c>opcua</c>).</summary>
    string Kind { get; }

    /// <summary>
    /// Checks the device's <c>settings</c> and each tag's <c>address</c>, <c>dataType</c> and <c>settings</c> before
    /// anything starts. <paramref name="path"/> is the device's JSON path (<c>$.devices[2]</c>); errors name paths below
    /// it (<c>$.devices[2].tags[0].address</c>) and say what to write instead.
    /// </summary>
    IEnumerable<EdgeConfigError> Validate(DeviceOptions device, string path);

    /// <summary>Creates the (not yet connected) adapter of a validated device.</summary>
    IDeviceAdapter Create(DeviceOptions device, AdapterContext context);
}

/// <summary>What an adapter may use from the host.</summary>
public sealed record AdapterContext(TimeProvider Time, ILoggerFactory LoggerFactory);
