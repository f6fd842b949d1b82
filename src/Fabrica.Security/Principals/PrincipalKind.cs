namespace Fabrica.Security.Principals;

/// <summary>Who can authenticate to Fabrica.</summary>
public enum PrincipalKind
{
    /// <summary>A device publishing its own data (MQTT username = device id, password = device token).</summary>
    Device = 1,

    /// <summary>An edge gateway publishing for the devices it owns.</summary>
    Gateway = 2,

    /// <summary>A person or program using the HTTP API with a role.</summary>
    ApiToken = 3,
}
