using System.Runtime.CompilerServices;
using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Resolution;

namespace Fabrica.Identifiers.Http;

/// <summary>
/// The common public resolution — a whole record, public values only, no index= or type= — answered from JSON encoded
/// once per record. Records are immutable and every write stores a new one, so keying the cache by the record instance
/// invalidates it on any change (PUT, DELETE, value edits, re-signing) without hooks in the write path, and lets
/// replaced records' answers be collected with them. The answer is byte for byte what the uncached path writes.
/// </summary>
public sealed partial class HandleRestService
{
    private readonly ConditionalWeakTable<HandleRecord, EncodedAnswer> _publicAnswers = new();

    /// <summary>The encoded public answer for a record held here (counted in the statistics), or null to take the general path.</summary>
    private RestAnswer? PublicAnswer(string handle)
    {
        if (node.ResolveHeld(handle) is not { } record)
            return null;
        // The entity echoes the handle as the client spelled it; a different spelling re-encodes (and replaces) the entry.
        if (_publicAnswers.TryGetValue(record, out var cached) && string.Equals(cached.Handle, handle, StringComparison.Ordinal))
            return cached.Answer;
        var values = IdentifierNode.Chosen(record, [], [], publicOnly: true);
        var answer = values.Count == 0 ? NoValues(handle) : Values(handle, values);
        _publicAnswers.AddOrUpdate(record, new EncodedAnswer(handle, answer));
        return answer;
    }

    private sealed record EncodedAnswer(string Handle, RestAnswer Answer);
}
