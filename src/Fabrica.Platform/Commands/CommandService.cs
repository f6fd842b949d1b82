using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Fabrica.Platform.Models;
using Fabrica.Platform.Models.Storage;
using Fabrica.Security;
using Fabrica.Security.Audit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabrica.Platform.Commands;

/// <summary>
/// Sends commands to devices and follows each to its end: stored and audited, handed to the
/// <see cref="IDeviceCommandChannel"/>, then delivered (the device's session acknowledged it), and succeeded, failed
/// or timed out. Commands addressed to an asset are checked against its type's definition first. Thread-safe.
/// </summary>
public sealed partial class CommandService
{
    private readonly ModelStore _store;
    private readonly ModelCatalog _catalog;
    private readonly IDeviceCommandChannel _channel;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, InFlight> _inFlight = new(StringComparer.Ordinal);

    public CommandService(ModelStore store, ModelCatalog catalog, IDeviceCommandChannel channel, IAuditLog audit, TimeProvider? time = null, ILogger<CommandService>? logger = null)
    {
        _store = store;
        _catalog = catalog;
        _channel = channel;
        _audit = audit;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The longest a caller may ask to wait for a result (<c>?wait=</c>).</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    /// <summary>Sends the type-defined command <paramref name="name"/> of an asset.</summary>
    /// <exception cref="ModelNotFoundException">No such asset, or its type has no such command.</exception>
    /// <exception cref="ModelValidationException">The arguments do not fit, or the asset has no device to send to.</exception>
    public Task<DeviceCommand> SendToAssetAsync(string assetId, string name, JsonElement args, Caller caller, CancellationToken cancellationToken = default)
    {
        var model = _catalog.Current;
        if (!model.Assets.TryGetValue(assetId, out var asset))
            throw new ModelNotFoundException($"There is no asset '{assetId}'.");
        var definition = model.TypeOf(asset)?.FindCommand(name)
            ?? throw new ModelNotFoundException($"Asset '{model.PathOf(assetId)}' has no command '{name}'" + (asset.Type is null ? " (it has no type)." : $"; asset type '{asset.Type}' declares {Describe(model.TypeOf(asset)!)}."));
        var errors = CommandArguments.Validate(definition, args);
        if (errors.Count > 0)
            throw new ModelValidationException(errors);
        var device = definition.Via is { } via && asset.BindingMap.TryGetValue(via, out var binding) ? binding.Device : asset.CommandDevice();
        if (device is null)
            throw new ModelValidationException("device", $"asset '{model.PathOf(assetId)}' names no device for its commands: set its 'device', or bind its tags to one device");
        return SendAsync(assetId, device, name, args, definition.TimeoutSpan, caller, cancellationToken);
    }

    /// <summary>Sends a command straight to a device, unchecked (the device validates it).</summary>
    public Task<DeviceCommand> SendToDeviceAsync(string deviceId, string name, JsonElement args, TimeSpan? timeout, Caller caller, CancellationToken cancellationToken = default)
    {
        if (!NamingRules.IsValidDeviceId(deviceId))
            throw new ModelValidationException("deviceId", $"'{deviceId}' is not a device id");
        if (!NamingRules.IsValidDeviceId(name ?? ""))
            throw new ModelValidationException("name", $"'{name}' is not a command name: use letters, digits, '-', '_' or '.'");
        return SendAsync(null, deviceId, name!, args, timeout ?? CommandDefinition.DefaultTimeout, caller, cancellationToken);
    }

    public async Task<DeviceCommand?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        _inFlight.TryGetValue(id, out var flight) ? flight.Command : await _store.GetCommandAsync(id, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Commands created in [<paramref name="from"/>, <paramref name="to"/>), oldest first, optionally of one device and
    /// one actor (e.g. <c>rule:overheat</c>): how a client finds the commands a rule sent. Every state change is stored
    /// before it is visible, so the store is current.
    /// </summary>
    public Task<IReadOnlyList<DeviceCommand>> ListAsync(string? deviceId, string? actor, long from, long to, int limit, CancellationToken cancellationToken = default) =>
        _store.ListCommandsAsync(deviceId, actor, from, to, limit, cancellationToken);

    /// <summary>The command once it is final, or as it is when <paramref name="wait"/> has passed.</summary>
    public async Task<DeviceCommand?> WaitAsync(string id, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        if (_inFlight.TryGetValue(id, out var flight))
        {
            try
            {
                return await flight.Done.Task.WaitAsync(wait < MaxWait ? wait : MaxWait, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }
        return await GetAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The device's session acknowledged the command message.</summary>
    public Task OnDeliveredAsync(string deviceId, string commandId, CancellationToken cancellationToken = default) =>
        UpdateAsync(deviceId, commandId, c => c.Status == CommandStatus.Pending ? c with { Status = CommandStatus.Delivered, DeliveredAt = Now() } : null, cancellationToken);

    /// <summary>The device answered; false when no command of that device with that id awaits an answer.</summary>
    public Task<bool> OnReplyAsync(string deviceId, string commandId, CommandReply reply, CancellationToken cancellationToken = default) =>
        UpdateAsync(deviceId, commandId, c => c with
        {
            Status = reply.Ok ? CommandStatus.Succeeded : CommandStatus.Failed,
            DeliveredAt = c.DeliveredAt ?? Now(),
            CompletedAt = Now(),
            Result = reply.Result,
            Error = reply.Ok ? null : reply.Error ?? "the device reported a failure without a reason",
        }, cancellationToken);

    /// <summary>Times out commands past their expiry; the host calls it every second.</summary>
    public async Task ExpireAsync(CancellationToken cancellationToken = default)
    {
        var now = Now();
        foreach (var flight in _inFlight.Values.Where(f => f.Command.ExpiresAt <= now).ToList())
        {
            await UpdateAsync(flight.Command.Device, flight.Command.Id, c => c with
            {
                Status = CommandStatus.TimedOut,
                CompletedAt = now,
                Error = c.Status == CommandStatus.Pending ? "the device did not acknowledge the command in time" : "the device did not answer in time",
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Commands left open by a previous run cannot be answered any more: they time out at once.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        foreach (var command in await _store.LoadOpenCommandsAsync(cancellationToken).ConfigureAwait(false))
        {
            _inFlight[command.Id] = new InFlight(command);
            await UpdateAsync(command.Device, command.Id, c => c with { Status = CommandStatus.TimedOut, CompletedAt = Now(), Error = "the platform restarted before the device answered" }, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<DeviceCommand> SendAsync(string? assetId, string deviceId, string name, JsonElement args, TimeSpan timeout, Caller caller, CancellationToken cancellationToken)
    {
        var now = Now();
        if (args.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            args = JsonDocument.Parse("{}").RootElement;
        var command = new DeviceCommand(NewId(), assetId, deviceId, name, args.Clone(), CommandStatus.Pending, caller.Actor, now, now + (long)timeout.TotalMilliseconds);
        await _store.SaveCommandAsync(command, isNew: true, cancellationToken).ConfigureAwait(false);
        await _audit.AppendAsync(new AuditEvent(caller.Actor, "command.send", "device:" + deviceId, caller.Source, AuditOutcome.Success,
            $"command {command.Id} '{name}'" + (assetId is null ? "" : $" for asset {assetId}") + $" args {Shorten(args.GetRawText())}"), cancellationToken).ConfigureAwait(false);
        _inFlight[command.Id] = new InFlight(command);
        CommandLog.Sent(_logger, command.Id, name, deviceId, caller.Actor);
        bool sent;
        try
        {
            sent = await _channel.SendAsync(new DeviceCommandMessage(command.Id, deviceId, name, command.Args, command.ExpiresAt), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            CommandLog.SendFailed(_logger, e, command.Id, deviceId);
            sent = false;
        }
        if (!sent)
        {
            await UpdateAsync(deviceId, command.Id, c => c with
            {
                Status = CommandStatus.Failed, CompletedAt = Now(), Error = $"not delivered: device '{deviceId}' is not connected and subscribed to its commands",
            }, cancellationToken).ConfigureAwait(false);
        }
        return _inFlight.TryGetValue(command.Id, out var flight) ? flight.Command : (await _store.GetCommandAsync(command.Id, cancellationToken).ConfigureAwait(false))!;
    }

    private async Task<bool> UpdateAsync(string deviceId, string commandId, Func<DeviceCommand, DeviceCommand?> change, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_inFlight.TryGetValue(commandId, out var flight) || flight.Command.Device != deviceId)
                return false;
            var next = change(flight.Command);
            if (next is null)
                return true;
            await _store.SaveCommandAsync(next, isNew: false, cancellationToken).ConfigureAwait(false);
            flight.Command = next;
            if (next.IsFinal)
            {
                _inFlight.TryRemove(commandId, out _);
                flight.Done.TrySetResult(next);
                CommandLog.Completed(_logger, next.Id, next.Device, next.Status.ToString(), next.Error);
                await _audit.AppendAsync(new AuditEvent("device:" + deviceId, "command.result", "device:" + deviceId, "platform",
                    next.Status == CommandStatus.Succeeded ? AuditOutcome.Success : AuditOutcome.Failed,
                    $"command {next.Id} '{next.Name}' {JsonSerializer.Serialize(next.Status, CommandJsonContext.Default.CommandStatus).Trim('"')}" + (next.Error is null ? "" : $": {Shorten(next.Error)}")),
                    cancellationToken).ConfigureAwait(false);
            }
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static string NewId() => "cm" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(9));

    private static string Describe(AssetType type) =>
        type.CommandList.Count == 0 ? "no commands" : string.Join(", ", type.CommandList.Select(c => $"'{c.Name}'"));

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private sealed class InFlight(DeviceCommand command)
    {
        public DeviceCommand Command { get; set; } = command;

        public TaskCompletionSource<DeviceCommand> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
