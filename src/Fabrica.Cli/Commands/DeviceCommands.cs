using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Fabrica.Cli.Commands;

internal sealed class DeviceAddSettings : ClientSettings
{
    [CommandArgument(0, "<ID>")]
    [Description("Device id: letters, digits, '-', '_', '.'")]
    public string Id { get; init; } = "";

    [CommandOption("--name <NAME>")]
    public string? Name { get; init; }
}

/// <summary><c>fabrica device add ID</c>: registers a device and prints its token (shown only this once).</summary>
internal sealed class DeviceAddCommand : AsyncCommand<DeviceAddSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, DeviceAddSettings settings, CancellationToken cancellationToken)
    {
        using var api = new ApiClient(settings);
        var created = await api.PostAsync("/api/v1/devices", new DeviceRegistration(settings.Id, settings.Name ?? settings.Id),
            CliJsonContext.Default.DeviceRegistration, cancellationToken);
        Console.WriteLine($"device {created.GetProperty("id").GetString()} registered");
        Console.WriteLine($"token: {created.GetProperty("token").GetString()}");
        Console.Error.WriteLine("The token is shown only now: MQTT username = device id, password = this token.");
        return 0;
    }
}

/// <summary><c>fabrica device list</c>.</summary>
internal sealed class DeviceListCommand : AsyncCommand<ClientSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ClientSettings settings, CancellationToken cancellationToken)
    {
        using var api = new ApiClient(settings);
        var devices = await api.GetAsync("/api/v1/devices", cancellationToken);
        var table = new Table().AddColumns("id", "name", "created");
        foreach (var d in devices.EnumerateArray())
        {
            table.AddRow(
                Markup.Escape(d.GetProperty("id").GetString() ?? ""),
                Markup.Escape(d.GetProperty("name").GetString() ?? ""),
                DateTimeOffset.FromUnixTimeMilliseconds(d.GetProperty("createdAt").GetInt64()).ToString("u", System.Globalization.CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(table);
        return 0;
    }
}

internal sealed record DeviceRegistration(string Id, string Name);
