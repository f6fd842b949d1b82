using BenchmarkDotNet.Attributes;
using Fabrica.Protocols.OpcUa;
using Fabrica.Protocols.OpcUa.Services;

namespace Fabrica.Benchmarks.OpcUa;

/// <summary>
/// Decoding a Publish response (OPC 10000-4 §5.13.5) with N data-change notifications of Double values with both
/// timestamps, as the client's read loop does for every response. Goal: no allocation per notification beyond the
/// notification array itself (Variant holds numeric scalars unboxed; DataValue and MonitoredItemNotification are
/// structs), so allocated bytes per notification ≈ sizeof(MonitoredItemNotification).
/// </summary>
[MemoryDiagnoser]
public class PublishResponseDecodingBenchmarks
{
    private byte[] _message = [];

    [Params(1, 100, 1000)]
    public int Notifications { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        using var w = new OpcUaBinaryWriter();
        w.WriteNodeId(new NodeId(829));
        w.WriteDateTime(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        w.WriteUInt32(7);
        w.WriteStatusCode(StatusCodes.Good);
        w.WriteDiagnosticInfo(null);
        w.WriteStringArray([]);
        w.WriteExtensionObject(null);
        w.WriteUInt32(42);
        w.WriteUInt32Array([5]);
        w.WriteBoolean(false);
        w.WriteUInt32(5);
        w.WriteDateTime(new DateTime(2024, 1, 1, 0, 0, 1, DateTimeKind.Utc));
        w.WriteInt32(1);
        w.WriteNodeId(new NodeId(811));
        w.WriteByte(1);
        var lengthAt = w.Length;
        w.WriteInt32(0);
        w.WriteInt32(Notifications);
        var t0 = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < Notifications; i++)
        {
            w.WriteUInt32((uint)i);
            w.WriteDataValue(new DataValue(Variant.From(20 + (i * 0.01)), default, t0.AddMilliseconds(i), t0.AddMilliseconds(i + 1)));
        }
        w.WriteInt32(-1);
        w.PatchInt32(lengthAt, w.Length - lengthAt - 4);
        w.WriteStatusCodeArray([]);
        w.WriteInt32(-1);
        _message = w.ToArray();
    }

    [Benchmark]
    public int Decode()
    {
        var reader = new OpcUaBinaryReader(_message);
        reader.ReadNodeId();
        var response = PublishResponse.Decode(ref reader, ResponseHeader.Decode(ref reader));
        return response.NotificationMessage.DataChanges.Length;
    }
}
