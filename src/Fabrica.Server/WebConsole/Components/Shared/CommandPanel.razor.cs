using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Fabrica.Platform.Commands;
using Fabrica.Platform.Models;
using Fabrica.Security.Principals;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Fabrica.Server.WebConsole.Components.Shared;

/// <summary>
/// The asset type's commands as forms built from their argument definitions. Sending waits (on the server, off the
/// circuit's thread) for the device's answer up to the command's timeout and shows whether it worked.
/// Arguments are checked by the command service exactly as for the REST API; its problems are shown per argument.
/// </summary>
public sealed partial class CommandPanel
{
    [Parameter, EditorRequired] public Asset Asset { get; set; } = default!;
    [Parameter] public AssetType? Type { get; set; }

    [CascadingParameter] private Task<AuthenticationState> Auth { get; set; } = default!;
    [Inject] private CommandService Commands { get; set; } = default!;

    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Outcome> _outcomes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _sending = new(StringComparer.Ordinal);
    private ClaimsPrincipal _user = new();
    private bool _canOperate;

    protected override async Task OnParametersSetAsync()
    {
        _user = (await Auth).User;
        _canOperate = ConsoleRoles.Can(_user, Role.Operator);
    }

    private void SetFlag(string key, bool on) => _values[key] = on ? "true" : "false";

    private static string Key(string command, string argument) => command + "\u001f" + argument;

    private static string? Hint(ArgumentDefinition argument) => (argument.Min, argument.Max) switch
    {
        ({ } min, { } max) => $"{ConsoleFormat.Number(min)} … {ConsoleFormat.Number(max)}",
        ({ } min, null) => $"≥ {ConsoleFormat.Number(min)}",
        (null, { } max) => $"≤ {ConsoleFormat.Number(max)}",
        _ => argument.Description,
    };

    private async Task SendAsync(CommandDefinition command)
    {
        if (!ConsoleRoles.Can(_user, Role.Operator))
        {
            _outcomes[command.Name] = new Outcome("Sending commands needs the operator role.", MudBlazor.Severity.Warning, "refused");
            return;
        }
        if (!TryBuildArguments(command, out var args, out var problem))
        {
            _outcomes[command.Name] = new Outcome(problem, MudBlazor.Severity.Warning, "invalid");
            return;
        }
        _sending.Add(command.Name);
        _outcomes[command.Name] = new Outcome("Sending…", MudBlazor.Severity.Info, "sending");
        try
        {
            var sent = await Commands.SendToAssetAsync(Asset.Id, command.Name, args, ConsoleRoles.Caller(_user));
            _outcomes[command.Name] = Describe(sent);
            StateHasChanged();
            var wait = command.TimeoutSpan < CommandService.MaxWait ? command.TimeoutSpan : CommandService.MaxWait;
            var final = sent.IsFinal ? sent : await Commands.WaitAsync(sent.Id, wait + TimeSpan.FromSeconds(1)) ?? sent;
            _outcomes[command.Name] = Describe(final);
        }
        catch (ModelValidationException e)
        {
            _outcomes[command.Name] = new Outcome(string.Join("; ", e.Errors.Select(x => x.ToString())), MudBlazor.Severity.Warning, "invalid");
        }
        catch (ModelNotFoundException e)
        {
            _outcomes[command.Name] = new Outcome(e.Message, MudBlazor.Severity.Warning, "invalid");
        }
        finally
        {
            _sending.Remove(command.Name);
        }
    }

    private static Outcome Describe(DeviceCommand command) => command.Status switch
    {
        CommandStatus.Succeeded => new($"Done: {command.Device} answered ok{(command.Result is { } r ? ": " + r.GetRawText() : "")}.", MudBlazor.Severity.Success, "succeeded"),
        CommandStatus.Failed => new($"Failed: {command.Error ?? "the device refused it"}.", MudBlazor.Severity.Error, "failed"),
        CommandStatus.TimedOut => new($"No answer from {command.Device} in time.", MudBlazor.Severity.Error, "timedOut"),
        CommandStatus.Delivered => new($"Delivered to {command.Device}; waiting for its answer…", MudBlazor.Severity.Info, "delivered"),
        _ => new($"Sent to {command.Device}; waiting for it to confirm receipt…", MudBlazor.Severity.Info, "pending"),
    };

    private bool TryBuildArguments(CommandDefinition command, out System.Text.Json.JsonElement args, out string problem)
    {
        var json = new JsonObject();
        problem = "";
        foreach (var argument in command.ArgumentList)
        {
            var text = _values.GetValueOrDefault(Key(command.Name, argument.Name))?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                if (argument.Type == DataType.Boolean)
                    json[argument.Name] = false;
                continue; // the command service names missing required arguments
            }
            switch (argument.Type)
            {
                case DataType.Number when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number):
                    json[argument.Name] = number;
                    break;
                case DataType.Integer when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer):
                    json[argument.Name] = integer;
                    break;
                case DataType.Boolean:
                    json[argument.Name] = text == "true";
                    break;
                case DataType.String:
                    json[argument.Name] = text;
                    break;
                default:
                    problem = $"{argument.Name}: “{text}” is not a {argument.Type.ToString().ToLowerInvariant()}.";
                    args = default;
                    return false;
            }
        }
        using var document = System.Text.Json.JsonDocument.Parse(json.ToJsonString());
        args = document.RootElement.Clone();
        return true;
    }

    private sealed record Outcome(string Text, MudBlazor.Severity Severity, string Status);
}
