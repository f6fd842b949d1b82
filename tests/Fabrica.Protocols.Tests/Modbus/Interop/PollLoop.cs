using Fabrica.Protocols.Modbus;

namespace Fabrica.Protocols.Tests.Modbus.Interop;

/// <summary>Polls one input register every few milliseconds, as an edge gateway would, and records the outcomes.</summary>
internal sealed class PollLoop : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _successes;
    private Exception? _lastFailure;
    private int _failures;

    public PollLoop(ModbusTcpClient client) => _loop = RunAsync(client, _stop.Token);

    public int Successes => Volatile.Read(ref _successes);

    public async Task WaitForSuccessesAsync(int count) => await WaitAsync(() => Successes >= count, $"{count} successful polls");

    public async Task<Exception> WaitForFailureAsync()
    {
        var before = Volatile.Read(ref _failures);
        await WaitAsync(() => Volatile.Read(ref _failures) > before, "a failed poll");
        return Volatile.Read(ref _lastFailure)!;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task RunAsync(ModbusTcpClient client, CancellationToken cancellationToken)
    {
        var buffer = new ushort[1];
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await client.ReadInputRegistersAsync(1, 0, buffer, cancellationToken);
                Interlocked.Increment(ref _successes);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is ModbusConnectionException or TimeoutException or ModbusException)
            {
                Volatile.Write(ref _lastFailure, ex);
                Interlocked.Increment(ref _failures);
            }

            try
            {
                await Task.Delay(10, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(10);
        }
    }
}
