using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabrica.Protocols.Modbus;

/// <summary>
/// A Modbus TCP client for one device or gateway (Messaging on TCP/IP v1.0b). Thread-safe: concurrent calls are
/// pipelined on one connection up to <see cref="ModbusClientOptions.MaxOutstandingRequests"/>. It connects on first
/// use; after a drop, the requests in flight fail with <see cref="ModbusConnectionException"/> and the next request
/// reconnects, no sooner than an exponential back-off after a failed attempt (fail fast while it lasts).
/// </summary>
public sealed partial class ModbusTcpClient : IAsyncDisposable
{
    private readonly ModbusClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _inFlight;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly string _endpoint;
    private ModbusConnection? _connection;
    private DateTimeOffset _nextConnectAttempt;
    private TimeSpan _reconnectDelay;
    private Exception? _lastConnectError;
    private bool _disposed;

    public ModbusTcpClient(ModbusClientOptions options, ILogger<ModbusTcpClient>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _inFlight = new SemaphoreSlim(options.MaxOutstandingRequests, options.MaxOutstandingRequests);
        _endpoint = $"{options.Host}:{options.Port}";
        _reconnectDelay = options.MinReconnectDelay;
        Counters = new ModbusClientCounters(_endpoint);
    }

    public ModbusClientOptions Options => _options;

    public ModbusClientCounters Counters { get; }

    /// <summary>True while a connection is open (it may still drop at any time).</summary>
    public bool IsConnected => _connection is { IsOpen: true };

    /// <summary>Opens the connection now instead of on the first request.</summary>
    public async ValueTask ConnectAsync(CancellationToken cancellationToken = default) =>
        await GetConnectionAsync(cancellationToken).ConfigureAwait(false);

    private async ValueTask ExecuteAsync(ModbusPendingRequest request, CancellationToken cancellationToken)
    {
        await _inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await GetConnectionAsync(cancellationToken).ConfigureAwait(false);
            Counters.OnRequest();
            await connection.SendAsync(request, cancellationToken).ConfigureAwait(false);
            try
            {
                await request.Completion.WaitAsync(_options.RequestTimeout, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
                if (!connection.Forget(request))
                {
                    // The read loop (or a close) claimed it first and is writing its result now: take that result.
                    await request.Completion.ConfigureAwait(false);
                    return;
                }

                if (ex is OperationCanceledException)
                {
                    throw;
                }

                Counters.OnTimeout();
                ModbusLog.RequestTimedOut(_logger, _endpoint, request.Expected.Function, request.UnitId, request.TransactionId);
                throw new TimeoutException(
                    $"Modbus unit {request.UnitId} at {_endpoint} did not answer {request.Expected.Function} within {_options.RequestTimeout.TotalMilliseconds:0} ms.", ex);
            }
        }
        finally
        {
            _inFlight.Release();
        }
    }

    private async ValueTask<ModbusConnection> GetConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = _connection;
        if (connection is { IsOpen: true })
        {
            return connection;
        }

        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            connection = _connection;
            if (connection is { IsOpen: true })
            {
                return connection;
            }

            if (connection is not null)
            {
                _connection = null;
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            var now = _time.GetUtcNow();
            if (now < _nextConnectAttempt)
            {
                throw new ModbusConnectionException(
                    $"Not connected to {_endpoint}; the next attempt is in {(_nextConnectAttempt - now).TotalMilliseconds:0} ms after: {_lastConnectError?.Message}",
                    _lastConnectError);
            }

            try
            {
                connection = await ModbusConnection.OpenAsync(_options, Counters, _logger, _endpoint, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException
                || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                _lastConnectError = ex;
                _nextConnectAttempt = now + _reconnectDelay;
                ModbusLog.ConnectFailed(_logger, _endpoint, (long)_reconnectDelay.TotalMilliseconds, ex.Message);
                _reconnectDelay = TimeSpan.FromTicks(Math.Min(_reconnectDelay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
                throw new ModbusConnectionException($"Could not connect to {_endpoint}: {ex.Message}", ex);
            }

            _reconnectDelay = _options.MinReconnectDelay;
            _lastConnectError = null;
            _connection = connection;
            Counters.OnConnect();
            ModbusLog.Connected(_logger, _endpoint);
            return connection;
        }
        finally
        {
            _connectLock.Release();
        }
    }

    /// <summary>Closes the connection; requests in flight fail with <see cref="ModbusConnectionException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        await _connectLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_connection is { } connection)
            {
                _connection = null;
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _connectLock.Release();
        }
    }
}
