using System.Security.Cryptography;
using System.Text.Json;
using Fabrica.IO;

namespace Fabrica.Storage.Backup;

/// <summary>One file of a backup: its path relative to the engine directory, size and SHA-256.</summary>
internal sealed record BackupFile(string RelativePath, long Bytes, string Sha256);

/// <summary>
/// <c>manifest.json</c> of a backup, written last: a backup without it is incomplete. Restore refuses any file whose
/// size or SHA-256 differs. Written and read with Utf8JsonWriter / JsonDocument (no reflection, trimming-safe).
/// </summary>
internal static class BackupManifest
{
    public const string FileName = "manifest.json";
    public const int FormatVersion = 1;

    public static void Write(string path, long createdMs, IReadOnlyList<BackupFile> files)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("format", FormatVersion);
            json.WriteNumber("createdMs", createdMs);
            json.WriteStartArray("files");
            foreach (var file in files)
            {
                json.WriteStartObject();
                json.WriteString("path", file.RelativePath);
                json.WriteNumber("bytes", file.Bytes);
                json.WriteString("sha256", file.Sha256);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        DurableDirectory.WriteFileAtomically(path, stream.ToArray());
    }

    public static IReadOnlyList<BackupFile> Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        if (root.GetProperty("format").GetInt32() != FormatVersion)
            throw new InvalidDataException($"{path}: unsupported backup format");
        var files = new List<BackupFile>();
        foreach (var item in root.GetProperty("files").EnumerateArray())
        {
            var relative = item.GetProperty("path").GetString() ?? throw new InvalidDataException($"{path}: file without a path");
            // A manifest names files inside the backup only.
            if (Path.IsPathRooted(relative) || relative.Split('/').Contains(".."))
                throw new InvalidDataException($"{path}: path {relative} leaves the backup directory");
            files.Add(new BackupFile(relative, item.GetProperty("bytes").GetInt64(), item.GetProperty("sha256").GetString() ?? string.Empty));
        }
        return files;
    }

    /// <summary>Copies <paramref name="source"/> to <paramref name="target"/>, fsyncs it and returns size and SHA-256 of what was copied.</summary>
    public static async Task<(long Bytes, string Sha256)> CopyAsync(string source, string target, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, useAsync: true);
        await using (input.ConfigureAwait(false))
        {
            var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await using (output.ConfigureAwait(false))
            {
                var buffer = new byte[1 << 16];
                long total = 0;
                int read;
                while ((read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    total += read;
                }
                output.Flush(flushToDisk: true);
                return (total, Convert.ToHexStringLower(hash.GetHashAndReset()));
            }
        }
    }

    public static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        await using (stream.ConfigureAwait(false))
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }
}
