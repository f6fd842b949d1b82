using Fabrica.Security.Principals;

namespace Fabrica.Security;

/// <summary>
/// Who asks for a change and from where, as the audit log records it. The host builds one per request from the
/// authenticated principal and the remote endpoint; the command line and first start use <see cref="System"/>.
/// </summary>
public readonly record struct Caller(string Actor, string Source)
{
    public static Caller From(FabricaPrincipal principal, string source) => new(principal.Actor, source);

    /// <summary>The platform itself (first start) or a local administrator at the command line.</summary>
    public static Caller System(string source = "local") => new("system", source);
}
