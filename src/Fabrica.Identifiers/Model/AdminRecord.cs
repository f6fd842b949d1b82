using System.Buffers;
using Fabrica.Identifiers.Native;

namespace Fabrica.Identifiers.Model;

/// <summary>HS_ADMIN permission mask (RFC 3651 §3.2.1; bit values as CNRI's <c>Encoder.PERM_*</c>).</summary>
[Flags]
public enum AdminPermissions : ushort
{
    None = 0,
    AddHandle = 0x0001,
    DeleteHandle = 0x0002,
    AddDerivedPrefix = 0x0004,
    DeleteDerivedPrefix = 0x0008,
    ModifyValue = 0x0010,
    RemoveValue = 0x0020,
    AddValue = 0x0040,
    ModifyAdmin = 0x0080,
    RemoveAdmin = 0x0100,
    AddAdmin = 0x0200,
    ReadValue = 0x0400,
    ListHandles = 0x0800,
    All = 0x0FFF,
}

/// <summary>
/// The data of an HS_ADMIN value (RFC 3651 §3.2.1): who administers the handle (a handle and the index of its key
/// value) and what it may do.
/// <code>
///   AdminPermission : Int2 (bit mask)
///   AdminRef        : UTF8-String (handle) + Int4 (index)
/// </code>
/// </summary>
public sealed record AdminRecord(string AdminHandle, int AdminIndex, AdminPermissions Permissions)
{
    /// <summary>
    /// The permission string of Handle.Net's JSON (<c>"011111111111"</c>): 12 characters, most significant bit first,
    /// in the order ListHandles, ReadValue, AddAdmin, RemoveAdmin, ModifyAdmin, AddValue, RemoveValue, ModifyValue,
    /// DeleteDerivedPrefix, AddDerivedPrefix, DeleteHandle, AddHandle.
    /// </summary>
    public string PermissionString
    {
        get
        {
            Span<char> bits = stackalloc char[12];
            for (var i = 0; i < 12; i++)
                bits[i] = ((int)Permissions & (1 << (11 - i))) != 0 ? '1' : '0';
            return new string(bits);
        }
    }

    public static bool TryParsePermissions(string? text, out AdminPermissions permissions)
    {
        permissions = AdminPermissions.None;
        if (text is null || text.Length is 0 or > 12)
            return false;
        var mask = 0;
        foreach (var c in text)
        {
            if (c is not ('0' or '1'))
                return false;
            mask = (mask << 1) | (c - '0');
        }
        permissions = (AdminPermissions)mask;
        return true;
    }

    public byte[] Encode()
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        var writer = new WireWriter(buffer);
        writer.WriteUInt16((ushort)Permissions);
        writer.WriteString(AdminHandle);
        writer.WriteInt32(AdminIndex);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes HS_ADMIN data; accepts the legacy form with two trailing bytes, as CNRI's decoder does.</summary>
    public static AdminRecord Decode(ReadOnlySpan<byte> data)
    {
        var reader = new WireReader(data);
        var permissions = (AdminPermissions)(reader.ReadUInt16() & 0x0FFF);
        var handle = reader.ReadString(HandleName.MaxUtf8Length, "HS_ADMIN handle");
        var index = reader.ReadInt32();
        if (reader.Remaining != 0 && reader.Remaining != 2)
            reader.ExpectEnd("HS_ADMIN");
        return new AdminRecord(handle, index, permissions);
    }
}
