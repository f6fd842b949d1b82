using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabrica.Protocols.Modbus;

/// <summary>
/// A Modbus TCP server (Messaging on TCP/IP v1.0b) over an <see cref="IModbusDataModel"/>: one accept loop, one
/// pipelined connection loop per client (<see cref="ModbusServerConnection"/>). <see cref="Start"/> binds at once,
/// so a caller knows the port before any client connects.
/// </summary>
public sealed class ModbusTcpServer : IAsyncDisposable
{
    private readonly IModbusDataModel _model;
    private readonly ModbusServerOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<ModbusServerConnection, Task> _connections = new();
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;

    public ModbusTcpServer(IModbusDataModel model, ModbusServerOptions? options = null, ILogger<ModbusTcpServer>? logger = null)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _options = options ?? new ModbusServerOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The bound address and port, once started.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint?)_listener?.LocalEndPoint ?? throw new InvalidOperationException("The server is not started.");

    public int ConnectionCount => _connections.Count;

    /// <summary>Binds and starts accepting clients.</summary>
    public void Start()
    {
        if (_listener is not null)
        {
            throw new InvalidOperationException("The server is already started.");
        }

        var listener = new Socket(_options.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(_options.EndPoint);
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        ModbusLog.ServerListening(_logger, LocalEndPoint.ToString());
        _acceptLoop = AcceptLoopAsync(listener, _stopping.Token);
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var remote = socket.RemoteEndPoint?.ToString() ?? "?";
            if (_connections.Count >= _options.MaxConnections)
            {
                ModbusLog.ServerClientRefused(_logger, remote, _options.MaxConnections);
                socket.Dispose();
                continue;
            }

            socket.NoDelay = true;
            var connection = new ModbusServerConnection(socket, remote, _model, _logger);
            ModbusLog.ServerClientConnected(_logger, remote);
            _connections[connection] = RunAsync(connection, cancellationToken);
        }
    }

    private async Task RunAsync(ModbusServerConnection connection, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await connection.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(connection, out _);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops listening and closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        foreach (var connection in _connections.Keys)
        {
            connection.Abort();
        }

        await Task.WhenAll(_connections.Values).ConfigureAwait(false);
        _stopping.Dispose();
    }
}
