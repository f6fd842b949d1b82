using System.Collections.Concurrent;
using Fabrica.Security.Principals;

namespace Fabrica.Security.Tokens;

/// <summary>
/// Recently verified credentials by lookup id, so MQTT CONNECT storms and per-request bearer checks cost a
/// hash compare instead of a query. An entry holds the stored salt and hash, never the token: every hit still
/// verifies the presented token. Entries expire after <see cref="Lifetime"/>; delete, rotate, revoke and
/// ownership changes invalidate them at once in this process (other processes see them within the lifetime).
/// Only verified credentials enter, so failed guesses cannot fill it.
/// </summary>
internal sealed class VerifiedTokenCache(TimeProvider time, TimeSpan lifetime, int capacity)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    // Bumped by every invalidation. A reader that loaded a credential before an invalidation must not
    // put it back afterwards: it captures the generation before its query and re-checks it after adding.
    private long _generation;

    public TimeSpan Lifetime { get; } = lifetime;

    public long Generation => Volatile.Read(ref _generation);

    public bool TryGet(string lookupId, out Entry entry)
    {
        if (_entries.TryGetValue(lookupId, out entry!))
        {
            if (entry.ExpiresAt > time.GetUtcNow().ToUnixTimeMilliseconds())
                return true;
            ((ICollection<KeyValuePair<string, Entry>>)_entries).Remove(new(lookupId, entry));
        }
        entry = null!;
        return false;
    }

    public void Add(string lookupId, FabricaPrincipal principal, byte[] salt, byte[] hash, long generationBeforeQuery)
    {
        if (_entries.Count >= capacity)
            _entries.Clear();
        var entry = new Entry(principal, salt, hash, time.GetUtcNow().Add(Lifetime).ToUnixTimeMilliseconds());
        _entries[lookupId] = entry;
        if (Generation != generationBeforeQuery)
            ((ICollection<KeyValuePair<string, Entry>>)_entries).Remove(new(lookupId, entry));
    }

    public void Invalidate(string lookupId)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove(lookupId, out _);
    }

    public int Count => _entries.Count;

    internal sealed record Entry(FabricaPrincipal Principal, byte[] Salt, byte[] Hash, long ExpiresAt);
}
