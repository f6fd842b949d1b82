using System.Text;

namespace Fabrica.Identifiers.Model;

/// <summary>Per-value permission bits (RFC 3651 §3.4): who may read and change a value.</summary>
[Flags]
public enum ValuePermissions : byte
{
    None = 0,
    PublicWrite = 0x01,
    PublicRead = 0x02,
    AdminWrite = 0x04,
    AdminRead = 0x08,

    /// <summary>Handle.Net's default "1110": admins read and write, everyone reads.</summary>
    Default = AdminRead | AdminWrite | PublicRead,

    /// <summary>Not publicly readable: only administrators (and readers authorised for it) see it.</summary>
    Restricted = AdminRead | AdminWrite,
}

/// <summary>RFC 3651 §3.3 TTLType: relative (seconds, the usual case) or absolute (a Unix expiry time).</summary>
public enum TtlType : byte
{
    Relative = 0,
    Absolute = 1,
}

/// <summary>A reference to a value of another handle (RFC 3651 §3.6, and the entries of HS_VLIST).</summary>
public sealed record ValueReference(string Handle, int Index);

/// <summary>
/// One typed value of a handle record (RFC 3651 §3): index, type, data, TTL, timestamp, permissions, references.
/// <paramref name="Timestamp"/> is in Unix seconds (the wire has 32 bits); <paramref name="Data"/> is bytes, shown as
/// text when it is UTF-8.
/// </summary>
public sealed record HandleValue(
    int Index,
    string Type,
    ReadOnlyMemory<byte> Data,
    int Ttl = HandleValue.DefaultTtl,
    long Timestamp = 0,
    ValuePermissions Permissions = ValuePermissions.Default,
    TtlType TtlType = TtlType.Relative,
    IReadOnlyList<ValueReference>? References = null)
{
    /// <summary>Handle.Net's default TTL: one day.</summary>
    public const int DefaultTtl = 86400;

    public static HandleValue Text(int index, string type, string value, ValuePermissions permissions = ValuePermissions.Default, int ttl = DefaultTtl, long timestamp = 0) =>
        new(index, type, Encoding.UTF8.GetBytes(value), ttl, timestamp, permissions);

    public bool IsPublicReadable => (Permissions & ValuePermissions.PublicRead) != 0;

    /// <summary>The data as UTF-8 text (lossy for binary data; use <see cref="Data"/> for that).</summary>
    public string DataText => Encoding.UTF8.GetString(Data.Span);

    public IReadOnlyList<ValueReference> ReferenceList => References ?? [];

    public bool Equals(HandleValue? other) =>
        other is not null && Index == other.Index && Type == other.Type && Data.Span.SequenceEqual(other.Data.Span) &&
        Ttl == other.Ttl && Timestamp == other.Timestamp && Permissions == other.Permissions && TtlType == other.TtlType &&
        ReferenceList.SequenceEqual(other.ReferenceList);

    public override int GetHashCode() => HashCode.Combine(Index, Type, Data.Length, Ttl, Timestamp, Permissions);
}
