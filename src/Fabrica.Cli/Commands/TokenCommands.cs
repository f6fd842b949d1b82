using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Fabrica.Cli.Commands;

internal sealed class TokenCreateSettings : ClientSettings
{
    [CommandOption("--role <ROLE>")]
    [Description("viewer, operator, engineer or admin")]
    public string Role { get; init; } = "viewer";

    [CommandOption("--name <NAME>")]
    [Description("What the token is for, e.g. grafana or line-2-hmi")]
    public string Name { get; init; } = "";

    public override ValidationResult Validate() =>
        Role is "viewer" or "operator" or "engineer" or "admin"
            ? string.IsNullOrWhiteSpace(Name) ? ValidationResult.Error("--name is required: say what the token is for.") : ValidationResult.Success()
            : ValidationResult.Error($"Unknown role '{Role}': use viewer, operator, engineer or admin.");
}

/// <summary><c>fabrica token create --role R --name N</c>: a new API token, printed once.</summary>
internal sealed class TokenCreateCommand : AsyncCommand<TokenCreateSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, TokenCreateSettings settings, CancellationToken cancellationToken)
    {
        using var api = new ApiClient(settings);
        var created = await api.PostAsync("/api/v1/tokens", new TokenRequest(settings.Name, settings.Role),
            CliJsonContext.Default.TokenRequest, cancellationToken);
        Console.WriteLine(created.GetProperty("token").GetString());
        Console.Error.WriteLine($"token '{settings.Name}' with role {settings.Role} created; it is shown only now.");
        return 0;
    }
}

internal sealed record TokenRequest(string Name, string Role);
