using System.Globalization;

namespace Fabrica.Platform.Ingest;

internal ref partial struct TelemetryReader
{
    /// <summary>Objects up to this many tags are checked for repeats by a scan; larger ones use a set.</summary>
    private const int LinearDuplicateScan = 8;

    [ThreadStatic]
    private static HashSet<string>? _spareSeen;

    /// <summary>The interned tag name of the current property, after unescaping and validation.</summary>
    private bool ReadTag(string? member, out string tag)
    {
        tag = string.Empty;
        var raw = _json.ValueSpan;

        // UTF-8 and JSON escapes never yield more chars than bytes, and never fewer than a sixth.
        if (raw.Length > _limits.MaxTagLength * 6)
            return Reject(RejectReason.InvalidKey, Path(member, Shorten(KeyText())), TagTooLong());

        Span<char> buffer = stackalloc char[raw.Length];
        var name = buffer[.._json.CopyString(buffer)];
        if (name.Length > _limits.MaxTagLength)
            return Reject(RejectReason.InvalidKey, Path(member, Shorten(name.ToString())), TagTooLong());
        if (_tags.TryGet(name, out tag))
            return true;
        if (!NamingRules.IsValidTag(name))
        {
            return Reject(RejectReason.InvalidKey, Path(member, name.ToString()), name.IsEmpty
                ? "A tag name must not be empty."
                : "A tag name must not contain '/', '+', '#' or control characters.");
        }

        tag = _tags.Add(name);
        return true;
    }

    private bool IsDuplicate(string tag, int tagsFirst)
    {
        var count = _out.Count - tagsFirst;
        if (count <= LinearDuplicateScan)
        {
            for (var i = tagsFirst; i < _out.Count; i++)
            {
                if (string.Equals(_out[i].Series.Tag, tag, StringComparison.Ordinal))
                    return true;
            }
            return false;
        }

        // Large objects: switch to a set once, then keep it up to date. The set is reused per thread.
        if (_seenFrom != tagsFirst)
        {
            if (_seen is null)
            {
                _seen = _spareSeen ?? new HashSet<string>(StringComparer.Ordinal);
                _spareSeen = null;
            }
            _seen.Clear();
            for (var i = tagsFirst; i < _out.Count; i++)
                _seen.Add(_out[i].Series.Tag);
            _seenFrom = tagsFirst;
        }
        return !_seen!.Add(tag);
    }

    /// <summary>Hands the duplicate set back to the thread, empty, so that it holds no strings between messages.</summary>
    public void Release()
    {
        if (_seen is not null)
        {
            _seen.Clear();
            _spareSeen = _seen;
            _seen = null;
        }
    }

    private string TagTooLong() => string.Create(CultureInfo.InvariantCulture, $"A tag name may have at most {_limits.MaxTagLength} characters.");
}
