using System.ComponentModel;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Fabrica.Cli.Commands.Identifiers;

internal sealed class IdDelegateSettings : ClientSettings
{
    [CommandArgument(0, "<PREFIX>")]
    [Description("The prefix to delegate, e.g. 88.100.12")]
    public string Prefix { get; init; } = "";

    [CommandOption("--from <URL>")]
    [Description("HTTP address of the child node that serves the prefix, e.g. http://127.0.0.1:8003")]
    public string From { get; init; } = "";

    public override ValidationResult Validate() =>
        Uri.TryCreate(From, UriKind.Absolute, out _) ? ValidationResult.Success() : ValidationResult.Error("--from must be the child node's URL.");
}

/// <summary>
/// <c>fabrica id delegate PREFIX --from CHILD --server PARENT</c>: reads the child's own prefix record
/// <c>0.NA/PREFIX</c> (its HS_SITE and HS_PUBKEY, public) and writes them as the delegation record on the parent, which
/// signs it. From then on the parent refers resolvers for PREFIX to the child and vouches for the child's key.
/// </summary>
internal sealed class IdDelegateCommand : AsyncCommand<IdDelegateSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, IdDelegateSettings s, CancellationToken cancellationToken)
    {
        var handle = "0.NA/" + s.Prefix;
        using var child = new HandleApi(new ClientSettings { Server = s.From }, tokenRequired: false);
        var own = await child.GetAsync(HandleApi.Route(handle) + "?type=HS_SITE&type=HS_PUBKEY", cancellationToken);
        if (!own.Succeeded)
            throw new CliException($"{s.From} does not describe {handle}: {own.Describe()}. Does it run with --prefix {s.Prefix}?");
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var value in own.Body.GetProperty("values").EnumerateArray().Where(v => v.GetProperty("type").GetString() is "HS_SITE" or "HS_PUBKEY"))
                value.WriteTo(json);
            json.WriteEndArray();
        }
        using var parent = new HandleApi(s, tokenRequired: true);
        var answer = await parent.PutAsync(HandleApi.Route(handle), System.Text.Encoding.UTF8.GetString(buffer.ToArray()), cancellationToken);
        if (!answer.Succeeded)
            throw new CliException($"{handle} not delegated: {answer.Describe()}");
        Console.WriteLine($"delegated {s.Prefix} to {s.From} on {s.ServerUri}");
        return 0;
    }
}
