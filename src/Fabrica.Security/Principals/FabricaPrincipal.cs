using System.Collections.Frozen;

namespace Fabrica.Security.Principals;

/// <summary>
/// An authenticated identity and the checks every route and topic makes against it.
/// Devices act only on their own id, gateways on the devices assigned to them, API tokens by role.
/// </summary>
public sealed record FabricaPrincipal
{
    private FabricaPrincipal(PrincipalKind kind, string id, string name, Role? role, FrozenSet<string> ownedDeviceIds)
    {
        Kind = kind;
        Id = id;
        Name = name;
        Role = role;
        OwnedDeviceIds = ownedDeviceIds;
    }

    public PrincipalKind Kind { get; }

    /// <summary>The device id, the gateway id, or the API token's lookup id (never the token itself).</summary>
    public string Id { get; }

    public string Name { get; }

    /// <summary>The role of an API token; null for devices and gateways.</summary>
    public Role? Role { get; }

    /// <summary>For a gateway, the devices it may publish for; empty otherwise.</summary>
    public IReadOnlySet<string> OwnedDeviceIds { get; }

    /// <summary>How the audit log names this principal: <c>device:pump-1</c>, <c>gateway:edge-1</c>, <c>token:AbC…</c>.</summary>
    public string Actor => Kind switch
    {
        PrincipalKind.Device => "device:" + Id,
        PrincipalKind.Gateway => "gateway:" + Id,
        _ => "token:" + Id,
    };

    public static FabricaPrincipal ForDevice(string id, string name) =>
        new(PrincipalKind.Device, id, name, null, FrozenSet<string>.Empty);

    public static FabricaPrincipal ForGateway(string id, string name, IEnumerable<string> ownedDeviceIds) =>
        new(PrincipalKind.Gateway, id, name, null, ownedDeviceIds.ToFrozenSet(StringComparer.Ordinal));

    public static FabricaPrincipal ForApiToken(string id, string name, Role role) =>
        new(PrincipalKind.ApiToken, id, name, role, FrozenSet<string>.Empty);

    /// <summary>
    /// May this principal publish telemetry as <paramref name="deviceId"/>? A device only as itself, a gateway
    /// only for devices assigned to it. API tokens never publish as a device: data enters through its source.
    /// </summary>
    public bool CanPublishFor(string deviceId) => Kind switch
    {
        PrincipalKind.Device => string.Equals(Id, deviceId, StringComparison.Ordinal),
        PrincipalKind.Gateway => OwnedDeviceIds.Contains(deviceId),
        _ => false,
    };

    /// <summary>May this principal read the data and metadata of <paramref name="deviceId"/>? Every API role may.</summary>
    public bool CanReadDevice(string deviceId) => Kind switch
    {
        PrincipalKind.ApiToken => HasRole(Principals.Role.Viewer),
        _ => CanPublishFor(deviceId),
    };

    /// <summary>Does this API token have at least <paramref name="minimum"/>? Devices and gateways have no role.</summary>
    public bool HasRole(Role minimum) => Role is { } role && role >= minimum;

    // A principal is shown in logs and debuggers; it holds no secret, but keep the output to what identifies it.
    public override string ToString() => Role is { } role ? $"{Actor} ({role.ToName()})" : Actor;
}
