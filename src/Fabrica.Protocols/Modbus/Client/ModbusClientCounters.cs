using System.Diagnostics;

namespace Fabrica.Protocols.Modbus;

/// <summary>
/// Per-client counts, mirrored on the "Fabrica.Modbus" meter (tagged with the endpoint). Discarded frames are
/// counted by <see cref="ModbusProtocolError"/>: they never fail the connection.
/// </summary>
public sealed class ModbusClientCounters
{
    private readonly long[] _discarded = new long[Enum.GetValues<ModbusProtocolError>().Length];
    private readonly string _endpoint;
    private long _requests;
    private long _responses;
    private long _exceptionResponses;
    private long _timeouts;
    private long _connects;

    internal ModbusClientCounters(string endpoint) => _endpoint = endpoint;

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Responses matched to a request, exception responses included.</summary>
    public long Responses => Interlocked.Read(ref _responses);

    public long ExceptionResponses => Interlocked.Read(ref _exceptionResponses);

    public long Timeouts => Interlocked.Read(ref _timeouts);

    /// <summary>Successful TCP connects; more than one means the client reconnected.</summary>
    public long Connects => Interlocked.Read(ref _connects);

    public long DiscardedTotal
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _discarded.Length; i++)
            {
                total += Interlocked.Read(ref _discarded[i]);
            }

            return total;
        }
    }

    public long Discarded(ModbusProtocolError reason) => Interlocked.Read(ref _discarded[(int)reason]);

    internal void OnRequest()
    {
        Interlocked.Increment(ref _requests);
        ModbusMetrics.Requests.Add(1, ModbusMetrics.Endpoint(_endpoint));
    }

    internal void OnResponse(bool exception)
    {
        Interlocked.Increment(ref _responses);
        if (exception)
        {
            Interlocked.Increment(ref _exceptionResponses);
            ModbusMetrics.ExceptionResponses.Add(1, ModbusMetrics.Endpoint(_endpoint));
        }
    }

    internal void OnTimeout()
    {
        Interlocked.Increment(ref _timeouts);
        ModbusMetrics.Timeouts.Add(1, ModbusMetrics.Endpoint(_endpoint));
    }

    internal void OnConnect()
    {
        Interlocked.Increment(ref _connects);
        ModbusMetrics.Connects.Add(1, ModbusMetrics.Endpoint(_endpoint));
    }

    internal void OnDiscarded(ModbusProtocolError reason)
    {
        Interlocked.Increment(ref _discarded[(int)reason]);
        var tags = new TagList { { "endpoint", _endpoint }, { "reason", reason.ToString() } };
        ModbusMetrics.Discarded.Add(1, tags);
    }
}
