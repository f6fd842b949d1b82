using Fabrica.Edge.Adapters;
using Fabrica.Edge.Commands;

namespace Fabrica.Edge.Runtime;

public sealed partial class EdgeRuntime
{
    private EdgeCommandRouter? _commandRouter;

    /// <summary>Platform commands for a configured device (the uplink receives them): writes and adapter operations.</summary>
    private Task<byte[]> HandleCommandAsync(string deviceId, string commandId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        _commandRouter ??= new EdgeCommandRouter(AdapterOf, this, _time, _services.LoggerFactory.CreateLogger("Fabrica.Edge.Commands.EdgeCommandRouter"));
        return _commandRouter.HandleAsync(deviceId, commandId, payload, cancellationToken);
    }

    private IDeviceAdapter? AdapterOf(string deviceId)
    {
        for (var i = 0; i < _options.Devices.Count && i < _adapters.Count; i++)
        {
            if (_options.Devices[i].Id == deviceId)
                return _adapters[i];
        }
        return null;
    }
}
