using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Resolution;

namespace Fabrica.Identifiers.Native.Admin;

/// <summary>
/// One administrative request (RFC 3652 §3.6 create/delete handle, §3.7–§3.8 add/remove/modify value), read from its
/// body, with the HS_ADMIN permission it needs (RFC 3651 §3.2.1; changes to HS_ADMIN values need the admin bits) and
/// how it is carried out on a node.
/// </summary>
internal sealed record AdminOperation(OpCode Op, HandleName Handle, IReadOnlyList<HandleValue> Values, IReadOnlyList<int> Indexes, OpFlags Flags)
{
    public static AdminOperation Read(HandleMessage request)
    {
        var body = request.Body.Span;
        var op = request.Header.OpCode;
        switch (op)
        {
            case OpCode.CreateHandle or OpCode.AddValue or OpCode.ModifyValue:
            {
                var read = MessageBodies.ReadHandleValues(body);
                return new AdminOperation(op, Parse(read.Handle, op == OpCode.CreateHandle && request.Header.Flags.HasFlag(OpFlags.MintNewSuffix)), read.Values, [], request.Header.Flags);
            }
            case OpCode.DeleteHandle:
                return new AdminOperation(op, Parse(MessageBodies.ReadHandle(body), false), [], [], request.Header.Flags);
            case OpCode.RemoveValue:
            {
                var read = MessageBodies.ReadRemoveValues(body);
                return new AdminOperation(op, Parse(read.Handle, false), [], read.Indexes, request.Header.Flags);
            }
            default:
                return HandleProtocolException.Throw<AdminOperation>($"Operation {(int)op} is not administrative.");
        }
    }

    /// <summary>With mintNewSuffix the request names only the prefix (<c>88.100.12/</c>); a placeholder suffix stands in until execution.</summary>
    private static HandleName Parse(string text, bool mint)
    {
        if (mint && HandleName.NormalizePrefix(text.TrimEnd('/')) is { } prefix)
            return HandleName.Parse(prefix + "/-");
        return HandleName.TryParse(text, out var handle, out var error) ? handle : throw new HandleProtocolException(error);
    }

    public string AuditAction => Op switch
    {
        OpCode.CreateHandle => "handle.create",
        OpCode.DeleteHandle => "handle.delete",
        OpCode.AddValue => "handle.add-value",
        OpCode.ModifyValue => "handle.modify-value",
        _ => "handle.remove-value",
    };

    public AdminPermissions NeededPermission(HandleRecord? existing)
    {
        var touchesAdmin = Values.Any(v => v.Type == HandleTypes.Admin)
            || (existing is not null && Indexes.Any(i => existing[i]?.Type == HandleTypes.Admin));
        return Op switch
        {
            OpCode.CreateHandle => AdminPermissions.AddHandle,
            OpCode.DeleteHandle => AdminPermissions.DeleteHandle,
            OpCode.AddValue => touchesAdmin ? AdminPermissions.AddAdmin : AdminPermissions.AddValue,
            OpCode.ModifyValue => touchesAdmin ? AdminPermissions.ModifyAdmin : AdminPermissions.ModifyValue,
            _ => touchesAdmin ? AdminPermissions.RemoveAdmin : AdminPermissions.RemoveValue,
        };
    }

    public async Task<WriteOutcome> ExecuteAsync(IdentifierNode node, CancellationToken cancellationToken) => Op switch
    {
        OpCode.CreateHandle => await node.PutRecordAsync(Flags.HasFlag(OpFlags.MintNewSuffix) ? node.MintHandle(Handle.Prefix) : Handle, Values,
            overwrite: Flags.HasFlag(OpFlags.Overwrite), cancellationToken).ConfigureAwait(false),
        OpCode.DeleteHandle => await node.DeleteAsync(Handle, cancellationToken).ConfigureAwait(false),
        OpCode.AddValue => await node.PutValuesAsync(Handle, Values, overwrite: false, cancellationToken: cancellationToken).ConfigureAwait(false),
        OpCode.ModifyValue => await node.PutValuesAsync(Handle, Values, overwrite: true, mustExist: true, cancellationToken).ConfigureAwait(false),
        _ => await node.RemoveValuesAsync(Handle, Indexes.ToList(), cancellationToken).ConfigureAwait(false),
    };
}
