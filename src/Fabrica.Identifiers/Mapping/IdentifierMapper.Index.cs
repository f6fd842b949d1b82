using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Schemes;

namespace Fabrica.Identifiers.Mapping;

public sealed partial class IdentifierMapper
{
    private void OnChanged(HandleName handle, HandleRecord? record)
    {
        lock (_gate)
        {
            Index(handle, record);
            if (handle.IsPrefixRecord)
                _rules = ReadRules();
        }
    }

    /// <summary>Replaces the ALT_ID bindings of <paramref name="handle"/> with those of its new record (none when deleted).</summary>
    private void Index(HandleName handle, HandleRecord? record)
    {
        var name = handle.ToString();
        if (_keysByHandle.TryRemove(name, out var old))
        {
            foreach (var key in old)
            {
                if (_alternates.TryGetValue(key, out var binding) && binding.Handle == name)
                    _alternates.TryRemove(key, out _);
            }
        }
        if (record is null)
            return;
        var keys = new List<string>();
        foreach (var value in record.OfType(AlternateIdentifiers.Type))
        {
            var text = value.DataText;
            if (!IdentifierRecognizer.TryRecognise(text, out var recognised, out var error))
            {
                Log.AlternateIgnored(_logger, text, name, error);
                continue;
            }
            var key = recognised.Keys[0];
            if (_alternates.TryGetValue(key, out var other) && other.Handle != name)
            {
                Log.AlternateIgnored(_logger, text, name, $"already bound to {other.Handle}");
                continue;
            }
            _alternates[key] = new Binding(name, value.IsPublicReadable);
            keys.Add(key);
        }
        if (keys.Count > 0)
            _keysByHandle[name] = [.. keys];
    }

    private MappingRule[] ReadRules() =>
    [
        .. _node.Store.PrefixRecords.SelectMany(record => record.Values
            .Where(v => v.Type is MappingRule.Gs1Type or MappingRule.OidType)
            .Select(v => new MappingRule(v.Type == MappingRule.Gs1Type ? MappingRuleKind.Gs1CompanyPrefix : MappingRuleKind.OidArc, v.DataText, record.Handle.Suffix.ToUpperInvariant()))),
    ];

    /// <summary>
    /// The handle a rule gives a canonical key, or null when no rule covers it. GS1: the longest company prefix that
    /// starts the key's digits (after the GTIN indicator or SSCC extension digit, after GRAI's filler zero) chooses the
    /// prefix; the suffix is the Digital Link path. OID: the longest arc above it; the suffix is <c>oid/</c> and the arcs below.
    /// </summary>
    public HandleName? HandleForKey(string key)
    {
        var rules = _rules;
        if (key.StartsWith("gs1:", StringComparison.Ordinal) && Gs1ElementString.TryParse(key[4..], out var elements, out _))
        {
            var primary = elements.Elements[0];
            var digits = primary.Ai is "01" or "00" or "8003" or "8006" ? primary.Value[1..] : primary.Value;
            var rule = rules.Where(r => r.Kind == MappingRuleKind.Gs1CompanyPrefix && digits.StartsWith(r.Match, StringComparison.Ordinal))
                .MaxBy(r => r.Match.Length);
            var path = DigitalLinkUri.FromElementString(elements).Path;
            return rule is null ? null : HandleName.TryParse(rule.Prefix + path, out var handle, out _) ? handle : null;
        }
        if (key.StartsWith("oid:", StringComparison.Ordinal) && Oid.TryParse(key, out var oid, out _))
        {
            var rule = rules.Where(r => r.Kind == MappingRuleKind.OidArc && Oid.TryParse(r.Match, out var arc, out _) && oid.IsUnder(arc))
                .MaxBy(r => r.Match.Length);
            if (rule is null)
                return null;
            var relative = oid.RelativeTo(Oid.Parse(rule.Match));
            return HandleName.TryParse(rule.Prefix + "/oid" + (relative.Length == 0 ? "" : "/" + relative), out var handle, out _) ? handle : null;
        }
        return null;
    }

    /// <summary>The handle the most specific key of <paramref name="identifier"/> is bound to, or would get from a rule.</summary>
    public HandleName? TargetHandle(RecognisedIdentifier identifier)
    {
        if (identifier.Handle is { } handle)
            return handle;
        var key = identifier.Keys[0];
        if (_alternates.TryGetValue(key, out var binding))
            return HandleName.Parse(binding.Handle);
        return HandleForKey(key);
    }
}
