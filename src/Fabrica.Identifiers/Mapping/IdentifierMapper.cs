using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Fabrica.Identifiers.Limits;
using Fabrica.Identifiers.Native;
using Fabrica.Identifiers.Resolution;
using Fabrica.Identifiers.Schemes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabrica.Identifiers.Mapping;

/// <summary>
/// Finds the handle record of an identifier written in any scheme (issue 6, scope 2): the front ends — REST
/// <c>/api/v1/identifiers/resolve</c>, the GS1 Digital Link resolver and DNS (ONS/ORS) — all call it. Two sources, in
/// order, for each canonical key of the identifier: explicit <see cref="AlternateIdentifiers.Type"/> values of records
/// (an index kept in memory, rebuilt from the store at start and updated on every change), then the
/// <see cref="MappingRule"/>s of the prefix records. Non-public ALT_ID values map only for authorised readers, and the
/// answer passes through <see cref="IdentifierNode.Resolve"/>, which drops non-public values for the others.
/// </summary>
public sealed partial class IdentifierMapper : IDisposable
{
    private static readonly Meter Meter = new(IdentifierMetrics.MeterName);
    private static readonly Counter<long> Lookups = Meter.CreateCounter<long>("fabrica.identifiers.mapped_lookups", "{lookup}", "Identifiers looked up through the scheme mapping, by scheme and outcome");

    private readonly IdentifierNode _node;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Binding> _alternates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string[]> _keysByHandle = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private volatile MappingRule[] _rules = [];

    private readonly record struct Binding(string Handle, bool Public);

    public IdentifierMapper(IdentifierNode node, ILogger<IdentifierMapper>? logger = null)
    {
        _node = node;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _node.Store.Changed += OnChanged;
        lock (_gate)
        {
            foreach (var record in _node.Store.Records.ToList())
                Index(record.Handle, record);
            _rules = ReadRules();
        }
    }

    public IdentifierNode Node => _node;

    /// <summary>The mapping rules in force, from every prefix record held here.</summary>
    public IReadOnlyList<MappingRule> Rules => _rules;

    /// <summary>
    /// Resolves <paramref name="identifier"/> to a record held here. <paramref name="walkUp"/> tries less specific keys
    /// too (serial → lot → GTIN). Null with a reason when the identifier is malformed (<paramref name="error"/> set) or
    /// unknown (<paramref name="recognised"/> set, error null).
    /// </summary>
    public MappedRecord? Find(string identifier, bool authorised, bool walkUp, out RecognisedIdentifier? recognised, out string? error)
    {
        if (!IdentifierRecognizer.TryRecognise(identifier, out recognised, out error))
        {
            Count("unrecognised", "invalid");
            Log.Refused(_logger, identifier.Length > 200 ? identifier[..200] : identifier, error);
            return null;
        }
        var found = Find(recognised, authorised, walkUp);
        Count(recognised.SchemeName, found is null ? "unknown" : "found");
        return found;
    }

    /// <summary>Resolves an identifier already recognised (see <see cref="Find(string, bool, bool, out RecognisedIdentifier?, out string?)"/>).</summary>
    public MappedRecord? Find(RecognisedIdentifier identifier, bool authorised, bool walkUp)
    {
        var keys = walkUp ? identifier.Keys : identifier.Keys.Take(1);
        foreach (var key in keys)
        {
            if (Locate(identifier, key, authorised) is not { } located)
                continue;
            var answer = _node.Resolve(located.Handle, [], [], publicOnly: !authorised);
            if (answer.Code is ResponseCode.Success or ResponseCode.ValuesNotFound)
                return new MappedRecord(identifier, located.Handle, key, located.Match, answer);
        }
        return null;
    }

    /// <summary>
    /// Every record on the identifier's walk up (one per canonical key that maps to a record), most specific first: what
    /// a Digital Link resolver needs to merge links of serial, lot and GTIN level.
    /// </summary>
    public IEnumerable<MappedRecord> FindAll(RecognisedIdentifier identifier, bool authorised)
    {
        foreach (var key in identifier.Keys)
        {
            if (Locate(identifier, key, authorised) is not { } located)
                continue;
            var answer = _node.Resolve(located.Handle, [], [], publicOnly: !authorised);
            if (answer.Code is ResponseCode.Success or ResponseCode.ValuesNotFound)
                yield return new MappedRecord(identifier, located.Handle, key, located.Match, answer);
        }
    }

    /// <summary>For DNS (ONS 2.0.1): the record of a GTIN, or of one serialised item of it.</summary>
    public MappedRecord? FindGtin(string gtin, string? serial, bool authorised = false)
    {
        if (!Gs1Keys.TryParseGtin(gtin, out var gtin14, out _))
            return null;
        List<Gs1Element> elements = serial is null ? [new("01", gtin14)] : [new("01", gtin14), new("21", serial)];
        var identifier = new RecognisedIdentifier(IdentifierScheme.Gs1ElementString, string.Concat(elements), RecognisedIdentifier.Gs1Keys(elements))
        {
            Gs1 = new Gs1ElementString(elements),
        };
        return Find(identifier, authorised, walkUp: false);
    }

    /// <summary>For DNS (ORS-style): the record of an OID in dotted form.</summary>
    public MappedRecord? FindOid(string dotted, bool authorised = false) =>
        Oid.TryParse(dotted, out var oid, out _)
            ? Find(new RecognisedIdentifier(IdentifierScheme.Oid, dotted, ["oid:" + oid.Dotted]) { Oid = oid }, authorised, walkUp: false)
            : null;

    /// <summary>Where <paramref name="key"/> lives: its handle if it is one, an ALT_ID binding, or a rule's handle that exists.</summary>
    private (string Handle, MatchKind Match)? Locate(RecognisedIdentifier identifier, string key, bool authorised)
    {
        if (identifier.Scheme == IdentifierScheme.Handle)
            return (key, MatchKind.Handle);
        if (_alternates.TryGetValue(key, out var binding) && (binding.Public || authorised))
            return (binding.Handle, MatchKind.Alternate);
        if (HandleForKey(key) is { } derived && _node.Store.Get(derived) is not null)
            return (derived.ToString(), MatchKind.Rule);
        return null;
    }

    private static void Count(string scheme, string outcome) =>
        Lookups.Add(1, new KeyValuePair<string, object?>("scheme", scheme), new KeyValuePair<string, object?>("outcome", outcome));

    public void Dispose() => _node.Store.Changed -= OnChanged;

    private static partial class Log
    {
        [LoggerMessage(EventId = 5201, Level = LogLevel.Debug, Message = "Identifier '{Identifier}' refused: {Reason}")]
        public static partial void Refused(ILogger logger, string identifier, string reason);

        [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "ALT_ID '{Identifier}' of {Handle} ignored: {Reason}")]
        public static partial void AlternateIgnored(ILogger logger, string identifier, string handle, string reason);
    }
}
