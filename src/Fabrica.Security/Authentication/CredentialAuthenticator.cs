using Fabrica.Security.ApiTokens;
using Fabrica.Security.Devices;
using Fabrica.Security.Gateways;
using Fabrica.Security.Principals;
using Fabrica.Security.Tokens;

namespace Fabrica.Security.Authentication;

/// <summary>
/// One entry point for the host: turns the credentials a connection presents into a principal, choosing the
/// registry by the token's prefix. Null means refused (already logged and audited).
/// </summary>
public sealed class CredentialAuthenticator(DeviceRegistry devices, GatewayRegistry gateways, ApiTokenService apiTokens)
{
    /// <summary>
    /// MQTT CONNECT: username = device or gateway id, password = its token (UTF-8). An API token connects with its
    /// name (or id) as username, to subscribe to what its role may read (alarm pushes); it never publishes.
    /// </summary>
    /// <param name="source">The client endpoint, for the audit log.</param>
    public ValueTask<FabricaPrincipal?> AuthenticateMqttAsync(string? username, string? password, string source, CancellationToken cancellationToken = default)
    {
        username ??= "";
        TokenGenerator.TryGetKind(password, out var kind);
        return kind switch
        {
            PrincipalKind.Gateway => gateways.AuthenticateAsync(username, password, source, cancellationToken),
            PrincipalKind.ApiToken => apiTokens.AuthenticateMqttAsync(username, password, source, cancellationToken),
            // Anything else is checked as a device token, so a refusal is recorded against the claimed device.
            _ => devices.AuthenticateAsync(username, password, source, cancellationToken),
        };
    }

    /// <summary>HTTP <c>Authorization: Bearer &lt;token&gt;</c>: API tokens, and device or gateway tokens for their own data.</summary>
    public ValueTask<FabricaPrincipal?> AuthenticateBearerAsync(string? token, string source, CancellationToken cancellationToken = default)
    {
        TokenGenerator.TryGetKind(token, out var kind);
        return kind switch
        {
            PrincipalKind.Device => devices.AuthenticateAsync(token, source, cancellationToken),
            PrincipalKind.Gateway => gateways.AuthenticateAsync(token, source, cancellationToken),
            _ => apiTokens.AuthenticateAsync(token, source, cancellationToken),
        };
    }
}
