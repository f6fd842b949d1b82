using System.ComponentModel;
using Fabrica.Cli.Commands;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Fabrica.Cli.Bench;

internal sealed class IngestBenchSettings : ClientSettings
{
    [CommandOption("--mqtt-host <HOST>")]
    public string MqttHost { get; init; } = "127.0.0.1";

    [CommandOption("--mqtt-port <N>")]
    public int MqttPort { get; init; } = 1883;

    [CommandOption("--connections <N>")]
    [Description("Device connections, each its own registered device (default 100)")]
    public int Connections { get; init; } = 100;

    [CommandOption("--samples-per-message <N>")]
    [Description("Samples in each JSON message (1 = one sample per message; default 1)")]
    public int SamplesPerMessage { get; init; } = 1;

    [CommandOption("--duration <SECONDS>")]
    public int DurationSeconds { get; init; } = 10;

    [CommandOption("--inflight <N>")]
    [Description("Unacknowledged QoS 1 messages per connection (default 16)")]
    public int InFlight { get; init; } = 16;

    [CommandOption("--tags <N>")]
    [Description("Distinct tags per device (series = connections × tags; default 10)")]
    public int Tags { get; init; } = 10;

    [CommandOption("--no-register")]
    [Description("Do not register devices over the HTTP API: drive a plain MQTT broker (e.g. Mosquitto) with the same load")]
    public bool NoRegister { get; init; }

    [CommandOption("--username <NAME>")]
    [Description("With --no-register: MQTT user name for every connection (default: none)")]
    public string? Username { get; init; }

    [CommandOption("--password <SECRET>")]
    [Description("With --no-register: MQTT password for every connection")]
    public string? Password { get; init; }

    public override ValidationResult Validate() =>
        Connections is < 1 or > 10_000 ? ValidationResult.Error("--connections must be 1..10000")
        : SamplesPerMessage is < 1 or > 10_000 ? ValidationResult.Error("--samples-per-message must be 1..10000")
        : DurationSeconds < 1 ? ValidationResult.Error("--duration must be at least 1 second")
        : InFlight is < 1 or > 1000 ? ValidationResult.Error("--inflight must be 1..1000")
        : Tags is < 1 or > 1000 ? ValidationResult.Error("--tags must be 1..1000")
        : ValidationResult.Success();
}
