using Fabrica.Edge.Configuration;

namespace Fabrica.Edge.Adapters.OpcUa;

/// <summary>
/// <c>"adapter": "opcua"</c>: an OPC UA server (docs/edge.md, "OPC UA adapter"), on the client of docs/opcua.md.
/// Settings, node addresses, data types and methods are checked here before anything starts, each fault named by its
/// JSON path.
/// </summary>
public sealed class OpcUaDeviceAdapterFactory : IDeviceAdapterFactory
{
    public string Kind => "opcua";

    public IEnumerable<EdgeConfigError> Validate(DeviceOptions device, string path)
    {
        ArgumentNullException.ThrowIfNull(device);
        var errors = new List<EdgeConfigError>();
        OpcUaConfigReader.Read(device, path, errors);
        return errors;
    }

    /// <summary>Whether <paramref name="dataType"/> names a scalar built-in type a tag may declare (e.g. <c>Double</c>); its spelling as the adapter prints it.</summary>
    public static bool IsScalarDataType(string dataType, out string name)
    {
        ArgumentNullException.ThrowIfNull(dataType);
        var known = OpcUaConfigReader.TryParseDataType(dataType, out var type);
        name = known ? type.ToString() : "";
        return known;
    }

    public IDeviceAdapter Create(DeviceOptions device, AdapterContext context)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(context);
        var errors = new List<EdgeConfigError>();
        var config = OpcUaConfigReader.Read(device, "$.devices[?]", errors)
            ?? throw new EdgeConfigException($"device {device.Id}", errors);
        return new OpcUaDeviceAdapter(device, config, context);
    }
}
