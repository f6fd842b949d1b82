namespace Fabrica.Protocols.OpcUa.Services;

/// <summary>CallMethodRequest (OPC 10000-4 §5.11.2.2): ObjectId, MethodId, InputArguments Variant[].</summary>
public sealed record CallMethodRequest(NodeId ObjectId, NodeId MethodId, IReadOnlyList<Variant> InputArguments)
{
    public void Encode(OpcUaBinaryWriter writer)
    {
        writer.WriteNodeId(ObjectId);
        writer.WriteNodeId(MethodId);
        writer.WriteArray(InputArguments, static (w, v) => w.WriteVariant(v));
    }
}

/// <summary>CallMethodResult (OPC 10000-4 §5.11.2.2): StatusCode, InputArgumentResults, their diagnostics, OutputArguments.</summary>
public sealed record CallMethodResult(StatusCode StatusCode, StatusCode[] InputArgumentResults, Variant[] OutputArguments)
{
    public static CallMethodResult Decode(ref OpcUaBinaryReader reader)
    {
        var status = reader.ReadStatusCode();
        var inputResults = reader.ReadStatusCodeArray();
        reader.ReadDiagnosticInfoArray();
        return new CallMethodResult(status, inputResults, reader.ReadArray(static (ref OpcUaBinaryReader r) => r.ReadVariant()));
    }
}

internal sealed record CallRequest(IReadOnlyList<CallMethodRequest> MethodsToCall) : IServiceRequest
{
    public uint BinaryEncodingId => EncodingIds.CallRequest;

    public void EncodeBody(OpcUaBinaryWriter writer) => writer.WriteArray(MethodsToCall, static (w, m) => m.Encode(w));
}

internal sealed record CallResponse(ResponseHeader Header, CallMethodResult[] Results) : IServiceResponse<CallResponse>
{
    public static uint BinaryEncodingId => EncodingIds.CallResponse;

    public static CallResponse Decode(ref OpcUaBinaryReader reader, ResponseHeader header)
    {
        var results = reader.ReadArray(CallMethodResult.Decode);
        reader.ReadDiagnosticInfoArray();
        return new CallResponse(header, results);
    }
}
