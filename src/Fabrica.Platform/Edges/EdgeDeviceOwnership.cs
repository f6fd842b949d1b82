using System.Collections.Concurrent;
using Fabrica.Security;
using Fabrica.Security.Devices;
using Fabrica.Security.Gateways;
using Fabrica.Security.Principals;

namespace Fabrica.Platform.Edges;

/// <summary>
/// Which devices an edge may publish for (issue 3): those assigned to it, and any device it announces that no one
/// has registered yet — the platform registers it on first publish and assigns it to the edge. A device registered
/// on its own (it has its own token) or owned by another edge stays out of reach.
/// </summary>
public sealed class EdgeDeviceOwnership(DeviceRegistry devices, GatewayRegistry gateways)
{
    /// <summary>
    /// True when <paramref name="edge"/> may publish for <paramref name="deviceId"/>. <paramref name="claimed"/> is the
    /// connection's memory of devices it gained since it authenticated (its principal's list is fixed at CONNECT).
    /// </summary>
    public async ValueTask<bool> MayPublishAsync(FabricaPrincipal edge, string deviceId, ConcurrentDictionary<string, bool> claimed,
        string source, CancellationToken cancellationToken = default)
    {
        if (edge.CanPublishFor(deviceId) || claimed.ContainsKey(deviceId))
            return true;
        if (edge.Kind != PrincipalKind.Gateway)
            return false;
        var existing = await devices.GetAsync(deviceId, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            var caller = new Caller(edge.Actor, source);
            try
            {
                await devices.RegisterAsync(deviceId, deviceId, caller, cancellationToken).ConfigureAwait(false);
                // Only a device this edge has just created is assigned to it: one registered by someone else in the
                // meantime (DuplicateIdException below) is never taken over.
                await gateways.AssignDeviceAsync(edge.Id, deviceId, caller, cancellationToken).ConfigureAwait(false);
            }
            catch (DuplicateIdException)
            {
            }
            existing = await devices.GetAsync(deviceId, cancellationToken).ConfigureAwait(false);
        }
        if (existing?.GatewayId != edge.Id)
            return false;
        claimed[deviceId] = true;
        return true;
    }
}
