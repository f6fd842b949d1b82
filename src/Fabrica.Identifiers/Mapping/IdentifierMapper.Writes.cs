using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Native;
using Fabrica.Identifiers.Resolution;
using Fabrica.Identifiers.Schemes;

namespace Fabrica.Identifiers.Mapping;

public sealed partial class IdentifierMapper
{
    /// <summary>First index used for rule and ALT_ID values, clear of the indexes part 1 reserves (1 HS_SITE, 100 HS_ADMIN, 300 HS_PUBKEY, 400 HS_SIGNATURE).</summary>
    public const int FirstMappingIndex = 500;

    /// <summary>
    /// Adds a rule to the prefix record <c>0.NA/&lt;prefix&gt;</c> of one of this node's own prefixes. The record is
    /// re-signed; its other values (HS_SITE, HS_ADMIN, keys) are kept.
    /// </summary>
    public async Task<WriteOutcome> AddRuleAsync(MappingRule rule, CancellationToken cancellationToken = default)
    {
        var prefix = HandleName.NormalizePrefix(rule.Prefix);
        if (prefix is null || !_node.Prefixes.Contains(prefix))
            return new WriteOutcome(ResponseCode.ServerNotResponsible, "0.NA/" + rule.Prefix, Message: $"'{rule.Prefix}' is not a prefix of this node");
        var problem = rule.Kind == MappingRuleKind.Gs1CompanyPrefix
            ? rule.Match.Length is >= 4 and <= 12 && Gs1CheckDigit.IsDigits(rule.Match) ? null : "A GS1 Company Prefix has 4 to 12 digits"
            : Oid.TryParse(rule.Match, out _, out var oidError) ? null : oidError;
        if (problem is not null)
            return new WriteOutcome(ResponseCode.InvalidValue, "0.NA/" + prefix, Message: problem);
        var clash = _rules.FirstOrDefault(r => r.Kind == rule.Kind && r.Match == rule.Match);
        if (clash is not null)
        {
            return clash.Prefix == prefix ? new WriteOutcome(ResponseCode.Success, "0.NA/" + prefix)
                : new WriteOutcome(ResponseCode.ValueAlreadyExists, "0.NA/" + prefix, Message: $"{rule.Match} is already bound to {clash.Prefix}");
        }
        var handle = HandleName.ForPrefix(prefix);
        var existing = _node.Store.Get(handle)?.Values ?? [];
        var value = HandleValue.Text(NextIndex(existing), rule.ValueType, rule.Match) with { Timestamp = _node.NowSeconds() };
        await _node.Store.PutAsync(_node.Seal(handle, existing.Append(value)), overwrite: true, cancellationToken).ConfigureAwait(false);
        return new WriteOutcome(ResponseCode.Success, handle.ToString(), Created: true);
    }

    /// <summary>
    /// Binds <paramref name="identifier"/> (any recognised scheme) to the record <paramref name="handle"/> as an ALT_ID
    /// value. Refused when it is malformed or already bound to another record.
    /// </summary>
    public async Task<WriteOutcome> AddAlternateAsync(HandleName handle, string identifier, bool isPublic = true, CancellationToken cancellationToken = default)
    {
        if (!IdentifierRecognizer.TryRecognise(identifier, out var recognised, out var error))
            return new WriteOutcome(ResponseCode.InvalidValue, handle.ToString(), Message: error);
        if (recognised.Scheme == IdentifierScheme.Handle)
            return new WriteOutcome(ResponseCode.InvalidValue, handle.ToString(), Message: "A handle is reached by itself; use HS_ALIAS to alias handles");
        var key = recognised.Keys[0];
        if (_alternates.TryGetValue(key, out var binding))
        {
            return binding.Handle == handle.ToString() ? new WriteOutcome(ResponseCode.Success, handle.ToString())
                : new WriteOutcome(ResponseCode.ValueAlreadyExists, handle.ToString(), Message: $"{identifier} is already bound to {binding.Handle}");
        }
        var record = _node.Store.Get(handle);
        if (record is null)
            return new WriteOutcome(ResponseCode.HandleNotFound, handle.ToString(), Message: "Handle not found");
        var permissions = isPublic ? ValuePermissions.Default : ValuePermissions.Default & ~ValuePermissions.PublicRead;
        var value = HandleValue.Text(NextIndex(record.Values), AlternateIdentifiers.Type, identifier.Trim(), permissions);
        var outcome = await _node.PutValuesAsync(handle, [value], overwrite: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        return outcome.Succeeded ? outcome with { Created = true } : outcome;
    }

    private static int NextIndex(IEnumerable<HandleValue> values) =>
        Math.Max(FirstMappingIndex, values.Where(v => v.Index >= FirstMappingIndex && v.Index < 1000).Select(v => v.Index + 1).DefaultIfEmpty(FirstMappingIndex).Max());
}
