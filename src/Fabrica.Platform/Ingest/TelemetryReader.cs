using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Fabrica.Platform.Ingest;

/// <summary>
/// One pass of <see cref="Utf8JsonReader"/> over one message, writing samples as it goes. Every method returns
/// false after setting <see cref="Rejection"/>; the caller undoes the writes. Nesting deeper than
/// array → object → values is refused at the first token, so hostile depth costs nothing.
/// </summary>
internal ref partial struct TelemetryReader
{
    private const string ValuesMember = "values";

    private Utf8JsonReader _json;
    private readonly string _device;
    private readonly long _now;
    private readonly long _latest;
    private readonly IngestLimits _limits;
    private readonly SampleBatch _out;
    private readonly TagCache _tags;
    private readonly int _first;
    private int _element;
    private HashSet<string>? _seen;
    private int _seenFrom;

    public TelemetryReader(ReadOnlySpan<byte> payload, JsonReaderOptions options, string device, long now, IngestLimits limits, SampleBatch into, TagCache tags)
    {
        _json = new Utf8JsonReader(payload, options);
        _device = device;
        _now = now;
        var skew = (long)limits.MaxFutureSkew.TotalMilliseconds;
        _latest = now > long.MaxValue - skew ? long.MaxValue : now + skew;
        _limits = limits;
        _out = into;
        _tags = tags;
        _first = into.Count;
        _element = -1;
        _seenFrom = -1;
    }

    public TelemetryRejection? Rejection { get; private set; }

    public bool ReadMessage()
    {
        _json.Read();
        switch (_json.TokenType)
        {
            case JsonTokenType.StartObject:
                if (!ReadSampleObject())
                    return false;
                break;

            case JsonTokenType.StartArray:
                for (_element = 0; _json.Read() && _json.TokenType != JsonTokenType.EndArray; _element++)
                {
                    if (_json.TokenType != JsonTokenType.StartObject)
                        return Reject(RejectReason.InvalidStructure, Path(), "Each element of a batch must be an object: {\"ts\": …, \"values\": {…}} or {\"tag\": value, …}.");
                    if (!ReadSampleObject())
                        return false;
                }
                break;

            default:
                return Reject(RejectReason.InvalidStructure, "$", "The payload must be a JSON object such as {\"temperature\": 71.2} or an array of {\"ts\": …, \"values\": {…}} objects.");
        }

        // The reader throws on trailing data or a truncated document; the check is for the reader's sake.
        if (_json.Read() || _json.CurrentDepth != 0)
            return Reject(RejectReason.MalformedJson, null, "The payload is not one complete JSON value.");

        if (_out.Count == _first)
            return Reject(RejectReason.EmptyPayload, null, "The message holds no values. Send at least one tag, e.g. {\"temperature\": 71.2}.");
        return true;
    }

    /// <summary>One element: either flat tags at server time, or <c>ts</c> / <c>q</c> / <c>values</c> in any order.</summary>
    private bool ReadSampleObject()
    {
        var objectFirst = _out.Count;
        bool hasTs = false, hasQuality = false, hasValues = false, patch = false;
        var timestamp = _now;
        var quality = Quality.Good;

        while (_json.Read() && _json.TokenType == JsonTokenType.PropertyName)
        {
            if (_json.ValueTextEquals("values"u8))
            {
                if (hasValues)
                    return Reject(RejectReason.InvalidStructure, Path(ValuesMember), "\"values\" appears twice; put all tags in one \"values\" object.");
                hasValues = true;
                _json.Read();
                if (_json.TokenType != JsonTokenType.StartObject)
                    return Reject(RejectReason.InvalidStructure, Path(ValuesMember), "\"values\" must be an object of tag names and values, e.g. {\"temperature\": 71.2}.");
                _json.Read();
                if (!ReadTags(ValuesMember, timestamp, quality))
                    return false;
            }
            else if (_json.ValueTextEquals("ts"u8))
            {
                if (hasTs)
                    return Reject(RejectReason.InvalidStructure, Path("ts"), "\"ts\" appears twice in one sample.");
                hasTs = true;
                patch |= hasValues;
                _json.Read();
                if (!ReadTimestamp(out timestamp))
                    return false;
            }
            else if (_json.ValueTextEquals("q"u8))
            {
                if (hasQuality)
                    return Reject(RejectReason.InvalidStructure, Path("q"), "\"q\" appears twice in one sample.");
                hasQuality = true;
                patch |= hasValues;
                _json.Read();
                if (!ReadQuality(out quality))
                    return false;
            }
            else if (hasTs || hasQuality || hasValues)
            {
                return Reject(RejectReason.InvalidStructure, Path(null, KeyText()), "Unknown field next to \"ts\", \"q\" or \"values\". Tags go inside \"values\".");
            }
            else
            {
                // Flat form: this and every following member is a tag, read at server time.
                return ReadTags(null, _now, Quality.Good);
            }
        }

        if (_json.TokenType != JsonTokenType.EndObject)
            return Reject(RejectReason.MalformedJson, null, "The payload ends inside an object.");
        if ((hasTs || hasQuality) && !hasValues)
            return Reject(RejectReason.InvalidStructure, Path(ValuesMember), "A sample with \"ts\" or \"q\" needs \"values\": {\"tag\": value, …}.");

        // "ts" or "q" after "values": stamp what was read with them.
        if (patch)
        {
            for (var i = objectFirst; i < _out.Count; i++)
            {
                ref var item = ref _out[i];
                item = item with { Sample = new Sample(timestamp, item.Sample.Value, quality) };
            }
        }
        return true;
    }

    /// <summary>Reads <c>"tag": value</c> members from the current property name to the end of the object.</summary>
    private bool ReadTags(string? member, long timestamp, Quality quality)
    {
        var tagsFirst = _out.Count;
        for (; _json.TokenType == JsonTokenType.PropertyName; _json.Read())
        {
            if (member is null && (_json.ValueTextEquals("ts"u8) || _json.ValueTextEquals("q"u8) || _json.ValueTextEquals("values"u8)))
            {
                return Reject(RejectReason.InvalidStructure, Path(null, KeyText()),
                    "\"ts\", \"q\" and \"values\" cannot be mixed with tags. Send {\"ts\": …, \"values\": {\"tag\": value}}.");
            }

            if (!ReadTag(member, out var tag))
                return false;
            if (IsDuplicate(tag, tagsFirst))
                return Reject(RejectReason.InvalidKey, Path(member, tag), "This tag appears twice in one object; send each tag once per sample.");

            _json.Read();
            SampleValue value;
            switch (_json.TokenType)
            {
                case JsonTokenType.Number:
                    // Overflowing literals (1e400) parse as infinity; JSON numbers are finite, and so are samples.
                    if (!_json.TryGetDouble(out var number) || !double.IsFinite(number))
                        return Reject(RejectReason.InvalidValue, Path(member, tag), "The number is outside the range of a 64-bit floating-point value.");
                    value = SampleValue.FromDouble(number);
                    break;
                case JsonTokenType.True:
                    value = SampleValue.FromBool(true);
                    break;
                case JsonTokenType.False:
                    value = SampleValue.FromBool(false);
                    break;
                case JsonTokenType.String:
                    if (!ReadText(member, tag, out var text))
                        return false;
                    value = SampleValue.FromString(text);
                    break;
                case JsonTokenType.Null:
                    return Reject(RejectReason.InvalidValue, Path(member, tag), "null is not a value. Leave the tag out when there is no reading.");
                default:
                    return Reject(RejectReason.InvalidValue, Path(member, tag),
                        "A value must be a number, true, false or a string, not an object or array. To send quality, use {\"ts\": …, \"q\": \"bad\", \"values\": {…}}.");
            }

            if (_out.Count - _first >= _limits.MaxSamplesPerMessage)
            {
                return Reject(RejectReason.TooManySamples, Path(member, tag), string.Create(CultureInfo.InvariantCulture,
                    $"A message may carry at most {_limits.MaxSamplesPerMessage} values. Split the batch into smaller messages."));
            }

            _out.Add(new SeriesSample(new SeriesKey(_device, tag), new Sample(timestamp, value, quality)));
        }
        return true;
    }

    private bool ReadText(string? member, string tag, out string text)
    {
        text = string.Empty;
        var max = _limits.MaxStringValueLength;
        // Fewer bytes than the limit means fewer chars; only longer strings need counting.
        if (_json.ValueSpan.Length > max)
        {
            var length = _json.ValueIsEscaped ? _json.GetString()!.Length : Encoding.UTF8.GetCharCount(_json.ValueSpan);
            if (length > max)
            {
                return Reject(RejectReason.ValueTooLong, Path(member, tag), string.Create(CultureInfo.InvariantCulture,
                    $"The string has {length} characters; at most {max} are accepted."));
            }
        }

        text = _json.GetString()!;
        return true;
    }

    private string KeyText() => _json.GetString() ?? string.Empty;

    /// <summary>Device text quoted in a message: at most 64 characters, control characters shown as '?' (logs stay one line).</summary>
    private static string Shorten(string text)
    {
        var shown = text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");
        return shown.AsSpan().ContainsAnyInRange('\0', '\x1f') || shown.Contains('\x7f', StringComparison.Ordinal)
            ? string.Create(shown.Length, shown, static (span, s) =>
            {
                for (var i = 0; i < s.Length; i++)
                    span[i] = char.IsControl(s[i]) ? '?' : s[i];
            })
            : shown;
    }

    private readonly string Path(string? member = null, string? name = null) => JsonPathText.For(_element, member, name);

    private bool Reject(RejectReason reason, string? field, string message)
    {
        Rejection = new TelemetryRejection(reason, field, message);
        return false;
    }
}
