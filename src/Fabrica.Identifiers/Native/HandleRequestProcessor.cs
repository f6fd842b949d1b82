using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Resolution;

namespace Fabrica.Identifiers.Native;

/// <summary>
/// Answers one native-protocol request (RFC 3652 §3) for an <see cref="IdentifierNode"/>: resolution (opcode 1) with
/// referrals (303, CNRI's service-referral body), get-site-info (2) with this node's HS_SITE. Native resolution is
/// anonymous, so only publicly readable values are ever sent. Administration (100–104) needs the challenge–response
/// authentication of RFC 3652 §3.5, which is not implemented yet: those requests are answered "operation not supported".
/// </summary>
public sealed class HandleRequestProcessor(IdentifierNode node, Func<SiteInfo> site)
{
    public IdentifierNode Node => node;

    /// <summary>The complete response (envelope included) to <paramref name="request"/>.</summary>
    public byte[] Respond(HandleMessage request)
    {
        var header = request.Header;
        if (!header.IsRequest)
            return Error(request, ResponseCode.ProtocolError, "Expected a request");
        try
        {
            return header.OpCode switch
            {
                OpCode.Resolution => Resolve(request),
                OpCode.GetSiteInfo => Reply(request, ResponseCode.Success, site().Encode()),
                OpCode.CreateHandle or OpCode.DeleteHandle or OpCode.AddValue or OpCode.RemoveValue or OpCode.ModifyValue =>
                    Error(request, ResponseCode.OperationNotSupported, "Administration over the native protocol is not available on this node; use the REST API"),
                _ => Error(request, ResponseCode.OperationNotSupported, $"Operation {(int)header.OpCode} is not supported"),
            };
        }
        catch (HandleProtocolException e)
        {
            return Error(request, ResponseCode.ProtocolError, e.Message);
        }
    }

    private byte[] Resolve(HandleMessage request)
    {
        var body = MessageBodies.ReadResolutionRequest(request.Body.Span);
        var answer = node.Resolve(body.Handle, body.Indexes, body.Types, publicOnly: true);
        return answer.Code switch
        {
            ResponseCode.Success or ResponseCode.PrefixReferral =>
                Reply(request, answer.Code, MessageBodies.WriteHandleValues(new HandleValuesBody(answer.Handle, answer.Values))),
            _ => Error(request, answer.Code, answer.Message ?? answer.Code.ToString()),
        };
    }

    private static byte[] Reply(HandleMessage request, ResponseCode code, ReadOnlySpan<byte> body)
    {
        // Echo what the client asked to be kept (RFC 3652 §2.2.2.3); a request digest is not returned, so that bit is cleared.
        var flags = request.Header.Flags & ~(OpFlags.ReturnRequestDigest | OpFlags.Certify | OpFlags.Encrypt);
        var header = new MessageHeader(request.Header.OpCode, code, flags, request.Header.SiteInfoSerial, request.Header.RecursionCount, request.Header.Expiration, 0);
        return HandleMessage.Encode(request.Envelope.RequestId, header, body, request.Envelope.SessionId);
    }

    private static byte[] Error(HandleMessage request, ResponseCode code, string message) =>
        Reply(request, code, MessageBodies.WriteError(message));
}
