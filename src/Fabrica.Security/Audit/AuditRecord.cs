using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Fabrica.Security.Audit;

/// <summary>
/// One line of the audit log as written:
/// <code>{"seq":7,"time":1767225600000,"actor":"token:…","action":"device.register","target":"device:pump-1",
///  "source":"10.0.0.5:51234","outcome":"success","detail":null,"prev":"&lt;sha256 hex&gt;","hash":"&lt;sha256 hex&gt;"}</code>
/// <c>hash</c> is the SHA-256 of the line's bytes up to <c>,"hash"</c> with a closing <c>}</c>, so it covers
/// every field including <c>prev</c>, the hash of the entry before. Editing, removing or reordering a line
/// breaks the chain at that line.
/// </summary>
public sealed record AuditRecord(
    long Sequence,
    long Time,
    string Actor,
    string Action,
    string Target,
    string Source,
    AuditOutcome Outcome,
    string? Detail,
    string PreviousHash,
    string Hash)
{
    /// <summary>The <c>prev</c> of the first entry.</summary>
    public static readonly string GenesisHash = new('0', 64);

    internal static readonly byte[] HashFieldPrefix = ",\"hash\":\""u8.ToArray();

    // The field written last, with its fixed length: ,"hash":"<64 hex>"}
    internal const int HashSuffixLength = 9 + 64 + 2;

    /// <summary>Writes the line for <paramref name="entry"/> (with its newline) and returns its hash.</summary>
    internal static string Write(ArrayBufferWriter<byte> line, long sequence, long time, AuditEvent entry, string previousHash)
    {
        using (var json = new Utf8JsonWriter(line))
        {
            json.WriteStartObject();
            json.WriteNumber("seq", sequence);
            json.WriteNumber("time", time);
            json.WriteString("actor", entry.Actor);
            json.WriteString("action", entry.Action);
            json.WriteString("target", entry.Target);
            json.WriteString("source", entry.Source);
            json.WriteString("outcome", OutcomeName(entry.Outcome));
            if (entry.Detail is null)
                json.WriteNull("detail");
            else
                json.WriteString("detail", entry.Detail);
            json.WriteString("prev", previousHash);
            json.WriteEndObject();
        }
        var hash = HashOfCanonical(line.WrittenSpan);
        // Reopen the object: drop the closing brace, append the hash field.
        var withoutBrace = line.WrittenSpan[..^1].ToArray();
        line.Clear();
        line.Write(withoutBrace);
        line.Write(HashFieldPrefix);
        line.Write(Encoding.ASCII.GetBytes(hash));
        line.Write("\"}\n"u8);
        return hash;
    }

    /// <summary>Parses one line and checks its own hash; the chain is checked by the caller.</summary>
    internal static bool TryRead(ReadOnlySpan<byte> line, out AuditRecord? record, out string? problem)
    {
        record = null;
        if (line.Length <= HashSuffixLength || !line[^HashSuffixLength..].StartsWith(HashFieldPrefix) || !line.EndsWith("\"}"u8))
        {
            problem = "the line does not end with its hash field";
            return false;
        }
        Span<byte> canonical = line.Length <= 4096 ? stackalloc byte[line.Length] : new byte[line.Length];
        var body = line[..^HashSuffixLength];
        body.CopyTo(canonical);
        canonical[body.Length] = (byte)'}';
        var computed = HashOfCanonical(canonical[..(body.Length + 1)]);
        try
        {
            using var document = JsonDocument.Parse(line.ToArray());
            var root = document.RootElement;
            record = new AuditRecord(
                root.GetProperty("seq").GetInt64(),
                root.GetProperty("time").GetInt64(),
                root.GetProperty("actor").GetString() ?? "",
                root.GetProperty("action").GetString() ?? "",
                root.GetProperty("target").GetString() ?? "",
                root.GetProperty("source").GetString() ?? "",
                ParseOutcome(root.GetProperty("outcome").GetString()),
                root.GetProperty("detail").GetString(),
                root.GetProperty("prev").GetString() ?? "",
                root.GetProperty("hash").GetString() ?? "");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            problem = "the line is not a valid audit entry: " + e.Message;
            return false;
        }
        if (!string.Equals(record.Hash, computed, StringComparison.Ordinal))
        {
            problem = "the entry's content does not match its hash";
            return false;
        }
        problem = null;
        return true;
    }

    private static string HashOfCanonical(ReadOnlySpan<byte> canonical)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(canonical, hash);
        return Convert.ToHexStringLower(hash);
    }

    internal static string OutcomeName(AuditOutcome outcome) => outcome switch
    {
        AuditOutcome.Success => "success",
        AuditOutcome.Denied => "denied",
        AuditOutcome.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown outcome."),
    };

    private static AuditOutcome ParseOutcome(string? name) => name switch
    {
        "success" => AuditOutcome.Success,
        "denied" => AuditOutcome.Denied,
        "failed" => AuditOutcome.Failed,
        _ => throw new FormatException($"Unknown outcome '{name}'."),
    };
}
