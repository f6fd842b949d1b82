using BenchmarkDotNet.Attributes;
using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Native;

namespace Fabrica.Identifiers.Benchmarks;

/// <summary>
/// The work of one native resolution outside the socket: read the request datagram and its body, write the response
/// with two values. Goal: a few hundred nanoseconds and allocations bounded by the message sizes (the codec copies
/// each message once into an exact-size array; no allocation-free path is claimed yet).
/// </summary>
[MemoryDiagnoser]
public class NativeCodecBenchmarks
{
    private readonly byte[] _request = HandleMessage.Encode(42,
        new MessageHeader(OpCode.Resolution, ResponseCode.Reserved, OpFlags.PublicOnly | OpFlags.Recursive, 1, 0, 1767225600, 0),
        MessageBodies.WriteResolutionRequest(new ResolutionRequest("88.100.12/PUMP-0001", [], ["URL"])));

    private readonly HandleValue[] _values =
    [
        HandleValue.Text(1, "URL", "https://example.com/pump/1", ValuePermissions.Default, 86400, 1700000000),
        HandleValue.Text(2, "manufacturer", "ACME Pumps", ValuePermissions.Default, 86400, 1700000000),
    ];

    private HandleMessage _parsed = null!;

    [GlobalSetup]
    public void Setup() => _parsed = HandleMessage.ReadDatagram(_request);

    [Benchmark]
    public ResolutionRequest ReadRequest() => MessageBodies.ReadResolutionRequest(HandleMessage.ReadDatagram(_request).Body.Span);

    [Benchmark]
    public byte[] WriteResponse()
    {
        var body = MessageBodies.WriteHandleValues(new HandleValuesBody("88.100.12/PUMP-0001", _values));
        var header = _parsed.Header with { ResponseCode = ResponseCode.Success };
        return HandleMessage.Encode(_parsed.Envelope.RequestId, header, body, _parsed.Envelope.SessionId);
    }

    [Benchmark]
    public List<HandleValue> ReadResponseValues() => HandleValueCodec.DecodeList(HandleValueCodec.EncodeList(_values));
}
