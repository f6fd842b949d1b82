namespace Fabrica.Security.Devices;

/// <summary>A registered device as the API shows it. Holds no credential.</summary>
/// <param name="CreatedAt">UTC Unix milliseconds.</param>
/// <param name="GatewayId">The gateway that may publish for this device, if any.</param>
public sealed record Device(string Id, string Name, long CreatedAt, string? GatewayId);

/// <summary>
/// A device just registered (or re-keyed) and its token, which is shown to the user once and never again.
/// <see cref="ToString"/> leaves the token out so a stray log line cannot leak it.
/// </summary>
public sealed record DeviceRegistration(Device Device, string Token)
{
    public override string ToString() => $"DeviceRegistration {{ Device = {Device}, Token = <hidden> }}";
}
