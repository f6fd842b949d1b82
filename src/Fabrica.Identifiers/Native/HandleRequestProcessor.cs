using System.Net;
using Fabrica.Identifiers.Limits;
using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Native.Admin;
using Fabrica.Identifiers.Resolution;

namespace Fabrica.Identifiers.Native;

/// <summary>What a node's native front end can do besides answering for its own records.</summary>
public sealed record HandleProcessorOptions
{
    /// <summary>Resolves handles this node does not serve when a request asks for recursion; null = answer 301/303.</summary>
    public RecursiveResolver? Resolver { get; init; }

    /// <summary>Challenge–response administration (opcodes 100–104); null = "operation not supported".</summary>
    public HandleAdministration? Administration { get; init; }

    /// <summary>Per-client token buckets; null = no limit.</summary>
    public ClientRateLimiter? RateLimiter { get; init; }
}

/// <summary>
/// Answers one native-protocol request (RFC 3652 §3) for an <see cref="IdentifierNode"/>: resolution (opcode 1) with
/// referrals (303, CNRI's service-referral body) or, for a request with the recursive flag and a node with a resolver,
/// the answer found through the hierarchy; get-site-info (2) with this node's HS_SITE; administration (100–104, 200)
/// through <see cref="HandleAdministration"/>. An anonymous resolution gets only publicly readable values; a request
/// without the PublicOnly flag for values that are not all public is challenged, and only an authenticated partner
/// with read permission gets the others (<c>HandleAdministration.Reading.cs</c>). A client over its rate gets response
/// code 3, "server too busy".
/// </summary>
public sealed class HandleRequestProcessor(IdentifierNode node, Func<SiteInfo> site, HandleProcessorOptions? options = null)
{
    private readonly HandleProcessorOptions _options = options ?? new HandleProcessorOptions();

    public IdentifierNode Node => node;

    /// <summary>The complete response (envelope included) to <paramref name="request"/> from <paramref name="client"/>.</summary>
    public ValueTask<byte[]> RespondAsync(HandleMessage request, IPEndPoint client, string transport = "udp", CancellationToken cancellationToken = default)
    {
        var header = request.Header;
        if (!header.IsRequest)
            return new(HandleReplies.Error(request, ResponseCode.ProtocolError, "Expected a request"));
        if (_options.RateLimiter is { } limiter && !limiter.TryAcquire(client.Address))
        {
            IdentifierMetrics.RateLimited(transport);
            return new(HandleReplies.Error(request, ResponseCode.ServerTooBusy, "server too busy"));
        }
        IdentifierMetrics.Answered(transport);
        try
        {
            return header.OpCode switch
            {
                OpCode.Resolution => ResolveAsync(request, client, cancellationToken),
                OpCode.GetSiteInfo => new(HandleReplies.Reply(request, ResponseCode.Success, site().Encode())),
                _ when HandleAdministration.IsAdministrative(header.OpCode) && _options.Administration is { } admin =>
                    new(admin.Challenge(request, client.ToString())),
                OpCode.ResponseToChallenge when _options.Administration is { } admin => AnswerAsync(admin, request, client, cancellationToken),
                _ => new(HandleReplies.Error(request, ResponseCode.OperationNotSupported, $"Operation {(int)header.OpCode} is not supported")),
            };
        }
        catch (HandleProtocolException e)
        {
            return new(HandleReplies.Error(request, ResponseCode.ProtocolError, e.Message));
        }
    }

    private static async ValueTask<byte[]> AnswerAsync(HandleAdministration admin, HandleMessage request, IPEndPoint client, CancellationToken cancellationToken)
    {
        try
        {
            return await admin.AnswerAsync(request, client.ToString(), cancellationToken).ConfigureAwait(false);
        }
        catch (HandleProtocolException e)
        {
            return HandleReplies.Error(request, ResponseCode.ProtocolError, e.Message);
        }
    }

    private ValueTask<byte[]> ResolveAsync(HandleMessage request, IPEndPoint client, CancellationToken cancellationToken)
    {
        var body = MessageBodies.ReadResolutionRequest(request.Body.Span);
        if (!request.Header.Flags.HasFlag(OpFlags.PublicOnly) && _options.Administration is { } admin && AsksForRestrictedValues(body))
            return new(admin.Challenge(request, client.ToString()));
        var answer = node.Resolve(body.Handle, body.Indexes, body.Types, publicOnly: true);
        if (answer.Code is ResponseCode.ServerNotResponsible or ResponseCode.PrefixReferral
            && _options.Resolver is { } resolver && request.Header.Flags.HasFlag(OpFlags.Recursive) && !request.Header.Flags.HasFlag(OpFlags.DoNotRefer))
            return ResolveRecursivelyAsync(resolver, request, body, cancellationToken);
        return new(answer.Code switch
        {
            ResponseCode.Success or ResponseCode.PrefixReferral =>
                HandleReplies.Reply(request, answer.Code, MessageBodies.WriteHandleValues(new HandleValuesBody(answer.Handle, answer.Values))),
            _ => HandleReplies.Error(request, answer.Code, answer.Message ?? answer.Code.ToString()),
        });
    }

    /// <summary>Would the request, were it authorised, get values that are not public? Then it must authenticate first.</summary>
    /// <remarks>Looked up in the store directly: a challenge is not a resolution, so it does not count in the statistics.</remarks>
    private bool AsksForRestrictedValues(ResolutionRequest body) =>
        HandleName.TryParse(body.Handle, out var handle, out _) && node.Store.Get(handle) is { } record
        && record.Select(body.Indexes, body.Types).Any(v => !v.IsPublicReadable && HandleAdministration.IsReadableByAuthorisedReader(v));

    private static async ValueTask<byte[]> ResolveRecursivelyAsync(RecursiveResolver resolver, HandleMessage request, ResolutionRequest body, CancellationToken cancellationToken)
    {
        var resolved = await resolver.ResolveAsync(body.Handle, cancellationToken).ConfigureAwait(false);
        IdentifierMetrics.ResolvedRecursively(resolved.FromCache);
        if (resolved.Code != ResponseCode.Success)
            return HandleReplies.Error(request, resolved.Code, resolved.Problem ?? resolved.Code.ToString());
        var values = resolved.Select(body.Indexes, body.Types);
        return values.Count == 0
            ? HandleReplies.Error(request, ResponseCode.ValuesNotFound, "Values not found")
            : HandleReplies.Reply(request, ResponseCode.Success, MessageBodies.WriteHandleValues(new HandleValuesBody(body.Handle, values)));
    }
}

/// <summary>Responses in the envelope of the request they answer.</summary>
internal static class HandleReplies
{
    public static byte[] Reply(HandleMessage request, ResponseCode code, ReadOnlySpan<byte> body)
    {
        // Echo what the client asked to be kept (RFC 3652 §2.2.2.3); a request digest is not returned, so that bit is cleared.
        var flags = request.Header.Flags & ~(OpFlags.ReturnRequestDigest | OpFlags.Certify | OpFlags.Encrypt);
        var header = new MessageHeader(request.Header.OpCode, code, flags, request.Header.SiteInfoSerial, request.Header.RecursionCount, request.Header.Expiration, 0);
        return HandleMessage.Encode(request.Envelope.RequestId, header, body, request.Envelope.SessionId);
    }

    public static byte[] Error(HandleMessage request, ResponseCode code, string message) =>
        Reply(request, code, MessageBodies.WriteError(message));
}
