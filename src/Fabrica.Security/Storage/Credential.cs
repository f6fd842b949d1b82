using Fabrica.Security.Principals;
using Fabrica.Security.Tokens;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Fabrica.Security.Storage;

/// <summary>A new token with the salt and hash to store for it.</summary>
internal sealed record Credential(IssuedToken Token, byte[] Salt, byte[] Hash)
{
    public static Credential Issue(PrincipalKind kind)
    {
        var token = TokenGenerator.Create(kind);
        var salt = TokenHasher.CreateSalt();
        return new Credential(token, salt, TokenHasher.Hash(token.Token, salt));
    }
}

internal static class RegistrationRules
{
    public static void ValidateId(PrincipalKind kind, string? id)
    {
        if (id is null || !NamingRules.IsValidDeviceId(id))
            throw new InvalidIdException(kind, id);
    }

    public static void ValidateName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > SecurityDbContext.MaxNameLength || name.Any(char.IsControl))
            throw new ArgumentException($"A name is 1 to {SecurityDbContext.MaxNameLength} printable characters.", nameof(name));
    }

    /// <summary>SQLITE_CONSTRAINT (19): a primary key or unique index refused the row.</summary>
    public static bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is SqliteException { SqliteErrorCode: 19 };

    public static int ClampLimit(int limit) => Math.Clamp(limit, 1, 10_000);
}
