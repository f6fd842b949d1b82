using System.Runtime.CompilerServices;
using Fabrica.Edge.Configuration;
using Fabrica.Protocols.Modbus;
using Microsoft.Extensions.Logging;

namespace Fabrica.Edge.Adapters.Modbus;

/// <summary>
/// One Modbus TCP device. Each poll group (the tag list the runtime passes, the same instance every poll) gets a
/// coalesced <see cref="ModbusReadPlan"/> the first time it is read; its requests go out pipelined on one
/// connection. A Modbus exception for one read (02 Illegal Data Address…) makes only that read's tags bad; a lost
/// connection, or a poll in which every read timed out, fails the whole read so that the runtime reconnects with
/// its back-off. Writes (edge rules, commands) use function 5 for coils, 6 for one register and 16 for more.
/// </summary>
internal sealed class ModbusDeviceAdapter : IDeviceAdapter
{
    private readonly string _deviceId;
    private readonly ModbusDeviceConfig _config;
    private readonly AdapterContext _context;
    private readonly ILogger<ModbusTcpClient> _clientLogger;
    private readonly ConditionalWeakTable<IReadOnlyList<TagOptions>, PollGroupPlan> _plans = [];
    private volatile ModbusTcpClient? _client;
    private volatile string? _lastError;
    private volatile int _state = (int)DeviceState.Disconnected;

    public ModbusDeviceAdapter(string deviceId, ModbusDeviceConfig config, AdapterContext context)
    {
        _deviceId = deviceId;
        _config = config;
        _context = context;
        _clientLogger = context.LoggerFactory.CreateLogger<ModbusTcpClient>();
    }

    public DeviceState State => (DeviceState)_state;

    public string? LastError => _lastError;

    /// <summary>The client of the current connection (tests read its counters).</summary>
    internal ModbusTcpClient? Client => _client;

    /// <summary>
    /// Opens a fresh connection. The old client is dropped, not reused: a client that timed out may still hold a
    /// half-dead socket, and its own reconnect back-off would stack on the runtime's.
    /// </summary>
    public async ValueTask ConnectAsync(CancellationToken cancellationToken = default)
    {
        _state = (int)DeviceState.Connecting;
        if (Interlocked.Exchange(ref _client, null) is { } old)
            await old.DisposeAsync().ConfigureAwait(false);
        var client = new ModbusTcpClient(_config.Settings.ToClientOptions(), _clientLogger, _context.Time);
        try
        {
            await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            Fail(e.Message);
            throw;
        }
        _client = client;
        _lastError = null;
        _state = (int)DeviceState.Connected;
    }

    public async ValueTask ReadAsync(IReadOnlyList<TagOptions> tags, Memory<TagReading> readings, CancellationToken cancellationToken = default)
    {
        var client = _client ?? throw new ModbusConnectionException($"Not connected to {_deviceId}.");
        var group = _plans.GetValue(tags, CreatePlan);
        try
        {
            await group.Plan.ReadAsync(client, group.Results, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectDisposedException e)
        {
            // A reconnect replaced the client while this read was in flight.
            throw new ModbusConnectionException($"The connection to {_deviceId} was closed.", e);
        }

        Exception? connectionLost = null;
        Exception? timedOut = null;
        Exception? refused = null;
        var good = 0;
        var span = readings.Span;
        for (var i = 0; i < tags.Count; i++)
        {
            var result = group.Results[i];
            if (result.Quality == Quality.Good)
            {
                span[i] = new TagReading(result.Value);
                good++;
                continue;
            }
            span[i] = TagReading.Bad;
            switch (result.Error)
            {
                case ModbusConnectionException lost:
                    connectionLost ??= lost;
                    break;
                case TimeoutException timeout:
                    timedOut ??= timeout;
                    break;
                default:
                    refused ??= result.Error;
                    break;
            }
        }
        Array.Clear(group.Results);

        if (connectionLost is not null || (good == 0 && refused is null && timedOut is not null))
        {
            var failure = connectionLost ?? timedOut!;
            Fail(failure.Message);
            throw failure is ModbusConnectionException ? new ModbusConnectionException(failure.Message, failure) : new TimeoutException(failure.Message, failure);
        }
        _lastError = refused is ModbusException modbus
            ? $"{modbus.FunctionCode} refused with exception {(int)modbus.ExceptionCode:X2} {modbus.ExceptionName}"
            : refused?.Message ?? timedOut?.Message;
    }

    public async ValueTask WriteAsync(TagOptions tag, SampleValue value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (!_config.Tags.TryGetValue(tag.Name, out var target))
            throw new ArgumentException($"Device {_deviceId} has no Modbus tag {tag.Name}.", nameof(tag));
        var client = _client ?? throw new ModbusConnectionException($"Not connected to {_deviceId}; the write to {tag.Name} was not sent.");
        switch (target.Table)
        {
            case ModbusTable.Coils:
                await client.WriteSingleCoilAsync(target.UnitId, target.Address, value.AsBool(), cancellationToken).ConfigureAwait(false);
                return;
            case ModbusTable.HoldingRegisters:
                var registers = ModbusWriteEncoder.Encode(tag.Name, target, value);
                if (registers.Length == 1)
                    await client.WriteSingleRegisterAsync(target.UnitId, target.Address, registers[0], cancellationToken).ConfigureAwait(false);
                else
                    await client.WriteMultipleRegistersAsync(target.UnitId, target.Address, registers, cancellationToken).ConfigureAwait(false);
                return;
            default:
                throw new InvalidOperationException(
                    $"{_deviceId}.{tag.Name} is {ModbusTagAddress.Prefix(target.Table)}:{target.Address}, which Modbus makes read-only; write to a coil or a holding register.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _state = (int)DeviceState.Disconnected;
        if (Interlocked.Exchange(ref _client, null) is { } client)
            await client.DisposeAsync().ConfigureAwait(false);
    }

    private PollGroupPlan CreatePlan(IReadOnlyList<TagOptions> tags)
    {
        var modbusTags = new ModbusTag[tags.Count];
        for (var i = 0; i < tags.Count; i++)
        {
            modbusTags[i] = _config.Tags.TryGetValue(tags[i].Name, out var tag)
                ? tag
                : throw new ArgumentException($"Device {_deviceId} has no Modbus tag {tags[i].Name}.", nameof(tags));
        }
        return new PollGroupPlan(ModbusReadPlanner.Plan(modbusTags, _config.Settings.ToPlannerOptions()), new ModbusTagReading[tags.Count]);
    }

    private void Fail(string reason)
    {
        _lastError = reason;
        _state = (int)DeviceState.Faulted;
    }

    /// <summary>The cached plan of one poll group and the buffer its reads land in (reads of a device never overlap).</summary>
    private sealed record PollGroupPlan(ModbusReadPlan Plan, ModbusTagReading[] Results);
}
