namespace Fabrica.Platform.Commands;

/// <summary>
/// Carries commands to devices; the host implements it (over MQTT: <c>fabrica/devices/{deviceId}/commands/{id}</c>,
/// QoS 1) and reports back through <see cref="CommandService.OnDeliveredAsync"/> and
/// <see cref="CommandService.OnReplyAsync"/>.
/// </summary>
public interface IDeviceCommandChannel
{
    /// <summary>
    /// Hands the command to the transport. False when no session of the device listens for commands now (the command
    /// then fails at once instead of timing out). Must not wait for the device.
    /// </summary>
    ValueTask<bool> SendAsync(DeviceCommandMessage command, CancellationToken cancellationToken = default);
}
