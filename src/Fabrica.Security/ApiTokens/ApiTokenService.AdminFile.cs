using System.Text;
using Fabrica.Security.Principals;
using Microsoft.EntityFrameworkCore;

namespace Fabrica.Security.ApiTokens;

public sealed partial class ApiTokenService
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// First start: when no active admin token exists, creates one and writes it to <c>&lt;dataDirectory&gt;/admin.token</c>,
    /// readable by the server's user only (the file is created with mode 0600, never widened and narrowed later).
    /// Later starts change nothing. The host prints <see cref="AdminTokenFile.Path"/> when <see cref="AdminTokenFile.Created"/>.
    /// </summary>
    public async Task<AdminTokenFile> EnsureAdminTokenFileAsync(string dataDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        dataDirectory = Path.GetFullPath(dataDirectory);
        var path = Path.Combine(dataDirectory, AdminTokenFileName);

        bool adminExists;
        var db = store.CreateContext();
        await using (db.ConfigureAwait(false))
        {
            adminExists = await db.ApiTokens.AnyAsync(t => t.Role == (int)Role.Admin && t.RevokedAt == null, cancellationToken).ConfigureAwait(false);
        }
        if (adminExists)
        {
            var exists = File.Exists(path);
            if (!exists)
                SecurityLog.AdminTokenFileMissing(_logger, path);
            return new AdminTokenFile(path, Created: false, exists);
        }

        if (!Directory.Exists(dataDirectory))
        {
            if (OperatingSystem.IsWindows())
                Directory.CreateDirectory(dataDirectory);
            else
                Directory.CreateDirectory(dataDirectory, OwnerOnlyDirectory);
        }
        var created = await CreateAsync("admin (created on first start)", Role.Admin, Caller.System(), cancellationToken).ConfigureAwait(false);
        await WriteOwnerOnlyAsync(path, created.Token + "\n", cancellationToken).ConfigureAwait(false);
        SecurityLog.AdminTokenFileCreated(_logger, path);
        return new AdminTokenFile(path, Created: true, Exists: true);
    }

    // Written under a temporary name created 0600 and then renamed over the target, so the token is never in a
    // file with wider permissions and a crash never leaves a half-written admin.token.
    private static async Task WriteOwnerOnlyAsync(string path, string content, CancellationToken cancellationToken)
    {
        var temporary = path + ".tmp";
        File.Delete(temporary);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = OwnerReadWrite;
        var file = new FileStream(temporary, options);
        await using (file.ConfigureAwait(false))
        {
            await file.WriteAsync(Encoding.UTF8.GetBytes(content), cancellationToken).ConfigureAwait(false);
            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
