using System.Collections.Concurrent;

namespace Fabrica.Platform.Ingest;

/// <summary>
/// Interns tag names, so that a device sending <c>"temperature"</c> a million times allocates the string once.
/// One cache is shared by all devices (fleets repeat the same tag names) and holds only names that passed
/// <see cref="NamingRules.IsValidTag"/>. It stops growing at <c>capacity</c> names: a device inventing a new
/// key per message costs an allocation per key, never unbounded memory. Thread-safe.
/// </summary>
public sealed class TagCache
{
    private readonly ConcurrentDictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _capacity;
    private int _count;

    /// <summary>The cache used when a caller passes none; the ingest service owns its own.</summary>
    public static TagCache Shared { get; } = new();

    public TagCache(int capacity = 65_536)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _capacity = capacity;
        _lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => Volatile.Read(ref _count);

    /// <summary>The cached string equal to <paramref name="tag"/>, if a valid tag of that name was seen before.</summary>
    internal bool TryGet(ReadOnlySpan<char> tag, out string name) => _lookup.TryGetValue(tag, out name!);

    /// <summary>Caches a name the caller has validated, unless the cache is full.</summary>
    internal string Add(ReadOnlySpan<char> tag)
    {
        var name = new string(tag);
        if (Volatile.Read(ref _count) < _capacity && _names.TryAdd(name, name))
            Interlocked.Increment(ref _count);
        return name;
    }
}
