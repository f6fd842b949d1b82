namespace Fabrica.Security.Gateways;

/// <summary>A registered edge gateway and the devices it may publish for. Holds no credential.</summary>
/// <param name="CreatedAt">UTC Unix milliseconds.</param>
public sealed record Gateway(string Id, string Name, long CreatedAt, IReadOnlyList<string> DeviceIds);

/// <summary>A gateway just registered (or re-keyed) and its token, shown once. <see cref="ToString"/> hides the token.</summary>
public sealed record GatewayRegistration(Gateway Gateway, string Token)
{
    public override string ToString() => $"GatewayRegistration {{ Gateway = {Gateway.Id}, Token = <hidden> }}";
}
