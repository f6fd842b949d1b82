using Fabrica.Edge.Configuration;

namespace Fabrica.Edge.Adapters.Modbus;

/// <summary>
/// <c>"adapter": "modbus"</c>: a Modbus TCP device (docs/edge.md, "Modbus adapter"). Settings and tag addresses are
/// checked here before anything starts, each fault named by its JSON path.
/// </summary>
public sealed class ModbusDeviceAdapterFactory : IDeviceAdapterFactory
{
    public string Kind => "modbus";

    public IEnumerable<EdgeConfigError> Validate(DeviceOptions device, string path)
    {
        ArgumentNullException.ThrowIfNull(device);
        var errors = new List<EdgeConfigError>();
        ModbusConfigReader.Read(device, path, errors);
        return errors;
    }

    public IDeviceAdapter Create(DeviceOptions device, AdapterContext context)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(context);
        var errors = new List<EdgeConfigError>();
        var config = ModbusConfigReader.Read(device, "$.devices[?]", errors)
            ?? throw new EdgeConfigException($"device {device.Id}", errors);
        return new ModbusDeviceAdapter(device.Id, config, context);
    }
}
