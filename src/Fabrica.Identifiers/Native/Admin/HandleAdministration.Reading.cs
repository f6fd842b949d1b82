using Fabrica.Identifiers.Model;
using Fabrica.Security.Audit;

namespace Fabrica.Identifiers.Native.Admin;

/// <summary>
/// Partner reads: authenticated resolution of non-public values. A client asks for them as Handle.Net clients do, by
/// sending a resolution request without the PublicOnly flag (CNRI's <c>ignoreRestrictedValues = false</c>, set with an
/// <c>AuthenticationInfo</c>). When the requested values include some without the public-read bit, the node answers
/// with a challenge (RFC 3652 §3.5) instead of values; the client answers it with its HS_PUBKEY, and if that identity
/// has the <see cref="AdminPermissions.ReadValue"/> permission on the handle — through an HS_ADMIN value of the handle
/// or of its prefix record, directly or through an HS_VLIST group (<see cref="AdminAuthority"/>) — the node sends the
/// values with the public-read or the admin-read bit. Values with neither bit are never sent. Every such read, granted
/// or refused, is audited as <c>handle.read</c>.
/// </summary>
public sealed partial class HandleAdministration
{
    /// <summary>Audit action of an authenticated read of non-public values.</summary>
    public const string ReadAuditAction = "handle.read";

    /// <summary>Whether an authenticated reader may be sent <paramref name="value"/>: public, or readable by administrators.</summary>
    public static bool IsReadableByAuthorisedReader(HandleValue value) =>
        value.IsPublicReadable || (value.Permissions & ValuePermissions.AdminRead) != 0;

    private async ValueTask<byte[]> AnswerReadAsync(HandleMessage answerMessage, HandleMessage request, ChallengeAnswer answer, Challenge challenge, string client, CancellationToken cancellationToken)
    {
        var body = MessageBodies.ReadResolutionRequest(request.Body.Span);
        var actor = $"handle-key:{answer.KeyHandle}#{answer.KeyIndex}";
        var (code, problem) = await AuthenticateAsync(answer, challenge, cancellationToken).ConfigureAwait(false);
        if (code == ResponseCode.Success)
        {
            if (!HandleName.TryParse(body.Handle, out var handle, out var error))
                (code, problem) = (ResponseCode.InvalidHandle, error);
            else if (!await _authority.IsGrantedAsync(new ValueReference(answer.KeyHandle, answer.KeyIndex), handle, AdminPermissions.ReadValue, cancellationToken).ConfigureAwait(false))
                (code, problem) = (ResponseCode.InsufficientPermissions, $"{answer.KeyHandle}:{answer.KeyIndex} may not read the non-public values of {handle}");
        }
        if (code != ResponseCode.Success)
        {
            await AuditReadAsync(actor, body.Handle, client, AuditOutcome.Denied, problem, cancellationToken).ConfigureAwait(false);
            return Reply(answerMessage, request, code, MessageBodies.WriteError(problem!));
        }
        var resolved = node.Resolve(body.Handle, body.Indexes, body.Types, publicOnly: false);
        await AuditReadAsync(actor, body.Handle, client, AuditOutcome.Success, null, cancellationToken).ConfigureAwait(false);
        if (resolved.Code != ResponseCode.Success)
            return Reply(answerMessage, request, resolved.Code, MessageBodies.WriteError(resolved.Message ?? resolved.Code.ToString()));
        var values = resolved.Values.Where(IsReadableByAuthorisedReader).ToList();
        return Reply(answerMessage, request, ResponseCode.Success, MessageBodies.WriteHandleValues(new HandleValuesBody(resolved.Handle, values)));
    }

    private async ValueTask AuditReadAsync(string actor, string handle, string client, AuditOutcome outcome, string? detail, CancellationToken cancellationToken)
    {
        if (audit is not null)
            await audit.AppendAsync(new AuditEvent(actor, ReadAuditAction, "handle:" + handle, client, outcome, detail), cancellationToken).ConfigureAwait(false);
    }
}
