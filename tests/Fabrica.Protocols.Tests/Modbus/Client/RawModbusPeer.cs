using System.Net;
using System.Net.Sockets;

namespace Fabrica.Protocols.Tests.Modbus.Client;

/// <summary>A hand-driven TCP peer: the test reads each request frame and writes whatever bytes it wants back.</summary>
internal sealed class RawModbusPeer : IDisposable
{
    private readonly Socket _listener = new(SocketType.Stream, ProtocolType.Tcp);
    private readonly byte[] _buffer = new byte[4096];
    private int _buffered;

    public RawModbusPeer()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(8);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    public Socket? Connection { get; private set; }

    public async Task AcceptAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Connection?.Dispose();
        Connection = await _listener.AcceptAsync(timeout.Token);
        _buffered = 0;
    }

    /// <summary>The next whole request frame from the client.</summary>
    public async Task<byte[]> ReceiveFrameAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (_buffered < 7 || _buffered < 6 + ((_buffer[4] << 8) | _buffer[5]))
        {
            var read = await Connection!.ReceiveAsync(_buffer.AsMemory(_buffered), timeout.Token);
            if (read == 0)
            {
                throw new IOException("The client closed the connection.");
            }

            _buffered += read;
        }

        var length = 6 + ((_buffer[4] << 8) | _buffer[5]);
        var frame = _buffer[..length];
        Array.Copy(_buffer, length, _buffer, 0, _buffered - length);
        _buffered -= length;
        return frame;
    }

    public async Task SendAsync(params byte[] bytes) => await Connection!.SendAsync(bytes);

    public void Drop()
    {
        Connection?.Dispose();
        Connection = null;
    }

    public void Dispose()
    {
        Connection?.Dispose();
        _listener.Dispose();
    }

    /// <summary>Waits for a condition the client reaches asynchronously (a counter), with a deadline.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(5);
        }
    }
}
