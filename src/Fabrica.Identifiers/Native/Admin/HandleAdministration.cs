using System.Collections.Concurrent;
using System.Security.Cryptography;
using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Resolution;
using Fabrica.Identifiers.Signing;
using Fabrica.Security.Audit;
using NSec.Cryptography;

namespace Fabrica.Identifiers.Native.Admin;

/// <summary>
/// Administration over the native protocol (RFC 3652 §3.5–§3.8, opcodes 100–104) with challenge–response
/// authentication. An administrative request is answered with a challenge (response code 402, a fresh session id,
/// the SHA-256 digest of the request and a 16-byte nonce); the client answers (opcode 200, same session id) with the
/// handle and index of its HS_PUBKEY and an Ed25519 signature over nonce ‖ digest. The node checks the signature with
/// that key and the permission against the HS_ADMIN values of the handle and of its prefix record
/// (<c>0.NA/&lt;prefix&gt;</c>), then performs the original request and answers it. Every attempt, allowed or refused,
/// is written to the audit log. A resolution asking for non-public values is challenged the same way (see
/// <c>HandleAdministration.Reading.cs</c>).
/// </summary>
/// <remarks>
/// Handle.Net signs with RSA or DSA keys (<c>SHA256withRSA</c>); Fabrica's keys are Ed25519 (NSec) everywhere — record
/// signatures, HS_PUBKEY values, key files — so the signed response carries <c>"Ed25519"</c> in the field where CNRI
/// names the hash, and an HS_PUBKEY of type <c>Ed25519</c> (see <see cref="Ed25519Keys"/>). Administrator groups
/// (HS_ADMIN pointing at an HS_VLIST) are honoured by <see cref="AdminAuthority"/>; secret-key (HS_SECKEY)
/// authentication is not supported.
/// </remarks>
public sealed partial class HandleAdministration(IdentifierNode node, IAuditLog? audit, Func<HandleName, CancellationToken, ValueTask<HandleRecord?>>? remoteLookup = null)
{
    private readonly AdminAuthority _authority = new(node, remoteLookup);

    /// <summary>Who may do what on which handle, with administrator groups.</summary>
    public AdminAuthority Authority => _authority;

    /// <summary>How long a challenge may be answered.</summary>
    public static readonly TimeSpan ChallengeLifetime = TimeSpan.FromSeconds(60);

    /// <summary>Outstanding challenges kept at most; beyond this, expired ones are dropped and then new requests refused.</summary>
    public const int MaxPendingChallenges = 10_000;

    private readonly ConcurrentDictionary<int, Pending> _pending = new();

    private sealed record Pending(HandleMessage Request, Challenge Challenge, string Client, long Expires);

    public static bool IsAdministrative(OpCode op) => op is OpCode.CreateHandle or OpCode.DeleteHandle or OpCode.AddValue or OpCode.RemoveValue or OpCode.ModifyValue;

    /// <summary>The challenge for an administrative request (after checking that its body is well-formed).</summary>
    public byte[] Challenge(HandleMessage request, string client)
    {
        if (request.Header.OpCode == OpCode.Resolution)
            _ = MessageBodies.ReadResolutionRequest(request.Body.Span);
        else
            _ = AdminOperation.Read(request);
        var now = node.Time.GetTimestamp();
        if (_pending.Count >= MaxPendingChallenges)
        {
            foreach (var (id, pending) in _pending)
            {
                if (pending.Expires < now)
                    _pending.TryRemove(id, out _);
            }
            if (_pending.Count >= MaxPendingChallenges)
                return HandleReplies.Error(request, ResponseCode.ServerTooBusy, "Too many outstanding challenges");
        }
        var headerAndBody = new byte[MessageHeader.Size + request.Body.Length];
        (request.Header with { BodyLength = request.Body.Length }).Write(headerAndBody);
        request.Body.Span.CopyTo(headerAndBody.AsSpan(MessageHeader.Size));
        var challenge = new Challenge(ChallengeBodies.Sha256, SHA256.HashData(headerAndBody), RandomNumberGenerator.GetBytes(ChallengeBodies.NonceSize));
        int sessionId;
        do
            sessionId = RandomNumberGenerator.GetInt32(1, int.MaxValue);
        while (!_pending.TryAdd(sessionId, new Pending(request, challenge, client, now + (long)(ChallengeLifetime.TotalSeconds * node.Time.TimestampFrequency))));
        var header = request.Header with
        {
            ResponseCode = ResponseCode.AuthenticationNeeded,
            Flags = (request.Header.Flags & ~(OpFlags.Certify | OpFlags.Encrypt)) | OpFlags.ReturnRequestDigest,
        };
        return HandleMessage.Encode(request.Envelope.RequestId, header, ChallengeBodies.WriteChallenge(challenge), sessionId);
    }

    /// <summary>Checks an answer (opcode 200) and, if it proves an administrator with the needed permission, performs the request it answers.</summary>
    public async ValueTask<byte[]> AnswerAsync(HandleMessage answerMessage, string client, CancellationToken cancellationToken = default)
    {
        var answer = ChallengeBodies.ReadAnswer(answerMessage.Body.Span);
        if (!_pending.TryRemove(answerMessage.Envelope.SessionId, out var pending) || pending.Client != client || pending.Expires < node.Time.GetTimestamp())
            return HandleReplies.Error(answerMessage, ResponseCode.AuthenticationTimeout, "No outstanding challenge for this session; send the request again");
        var request = pending.Request;
        if (request.Header.OpCode == OpCode.Resolution)
            return await AnswerReadAsync(answerMessage, request, answer, pending.Challenge, client, cancellationToken).ConfigureAwait(false);
        var operation = AdminOperation.Read(request);
        var actor = $"handle-key:{answer.KeyHandle}#{answer.KeyIndex}";
        var (code, problem) = await AuthenticateAsync(answer, pending.Challenge, cancellationToken).ConfigureAwait(false);
        if (code == ResponseCode.Success)
            (code, problem) = await AuthorizeAsync(answer, operation, cancellationToken).ConfigureAwait(false);
        if (code != ResponseCode.Success)
        {
            await AuditAsync(actor, operation, client, AuditOutcome.Denied, problem, cancellationToken).ConfigureAwait(false);
            return Reply(answerMessage, request, code, MessageBodies.WriteError(problem!));
        }
        var outcome = await operation.ExecuteAsync(node, cancellationToken).ConfigureAwait(false);
        await AuditAsync(actor, operation, client, outcome.Succeeded ? AuditOutcome.Success : AuditOutcome.Denied,
            outcome.Succeeded ? null : outcome.Message, cancellationToken).ConfigureAwait(false);
        if (!outcome.Succeeded)
            return Reply(answerMessage, request, outcome.Code, MessageBodies.WriteError(outcome.Message ?? outcome.Code.ToString()));
        // CNRI's CreateHandleResponse names the handle created (it differs from the request's with mintNewSuffix).
        return Reply(answerMessage, request, ResponseCode.Success,
            request.Header.OpCode == OpCode.CreateHandle ? MessageBodies.WriteHandle(outcome.Handle) : []);
    }

    private async ValueTask<(ResponseCode, string?)> AuthenticateAsync(ChallengeAnswer answer, Challenge challenge, CancellationToken cancellationToken)
    {
        if (answer.AuthType != ChallengeBodies.PublicKeyAuthType)
            return (ResponseCode.AuthenticationFailed, $"Authentication type '{answer.AuthType}' is not supported; use HS_PUBKEY with an Ed25519 key");
        if (!HandleName.TryParse(answer.KeyHandle, out var keyHandle, out _))
            return (ResponseCode.InvalidHandle, $"'{answer.KeyHandle}' is not a handle");
        var (type, signature) = ChallengeBodies.ReadSignedResponse(answer.SignedResponse.Span);
        if (type != ChallengeBodies.Ed25519SignatureType)
            return (ResponseCode.AuthenticationFailed, $"Signature type '{type}' is not supported; use Ed25519");
        var record = await LookupAsync(keyHandle, cancellationToken).ConfigureAwait(false);
        if (record?[answer.KeyIndex] is not { Type: HandleTypes.PublicKey } keyValue || Ed25519Keys.FromHsPubKey(keyValue.Data.Span) is not { } key)
            return (ResponseCode.AuthenticationFailed, $"{answer.KeyHandle} has no Ed25519 HS_PUBKEY at index {answer.KeyIndex}");
        return SignatureAlgorithm.Ed25519.Verify(key, ChallengeBodies.SignedBytes(challenge), signature)
            ? (ResponseCode.Success, null)
            : (ResponseCode.AuthenticationFailed, "The signature does not verify with that key");
    }

    private async ValueTask<(ResponseCode, string?)> AuthorizeAsync(ChallengeAnswer answer, AdminOperation operation, CancellationToken cancellationToken)
    {
        var needed = operation.NeededPermission(node.Store.Get(operation.Handle));
        return await _authority.IsGrantedAsync(new ValueReference(answer.KeyHandle, answer.KeyIndex), operation.Handle, needed, cancellationToken).ConfigureAwait(false)
            ? (ResponseCode.Success, null)
            : (ResponseCode.InsufficientPermissions, $"{answer.KeyHandle}:{answer.KeyIndex} is not an administrator of {operation.Handle} with permission {needed}");
    }

    private ValueTask<HandleRecord?> LookupAsync(HandleName handle, CancellationToken cancellationToken) => _authority.LookupAsync(handle, cancellationToken);

    private async ValueTask AuditAsync(string actor, AdminOperation operation, string client, AuditOutcome outcome, string? detail, CancellationToken cancellationToken)
    {
        if (audit is not null)
            await audit.AppendAsync(new AuditEvent(actor, operation.AuditAction, "handle:" + operation.Handle, client, outcome, detail), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The answer to the original request, sent in the envelope of the challenge answer (its request and session ids).</summary>
    private static byte[] Reply(HandleMessage answer, HandleMessage request, ResponseCode code, ReadOnlySpan<byte> body)
    {
        var flags = request.Header.Flags & ~(OpFlags.ReturnRequestDigest | OpFlags.Certify | OpFlags.Encrypt);
        var header = new MessageHeader(request.Header.OpCode, code, flags, request.Header.SiteInfoSerial, request.Header.RecursionCount, request.Header.Expiration, 0);
        return HandleMessage.Encode(answer.Envelope.RequestId, header, body, answer.Envelope.SessionId);
    }
}
