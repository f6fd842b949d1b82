namespace Fabrica.Security.Storage;

// Rows as stored. Times are UTC Unix milliseconds: SQLite cannot ORDER BY a DateTimeOffset.
// Tokens are never stored: TokenId is the lookup id embedded in the token, TokenHash its salted hash.

internal sealed class DeviceRow
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public long CreatedAt { get; set; }
    public required string TokenId { get; set; }
    public required byte[] TokenHash { get; set; }
    public required byte[] Salt { get; set; }
    public string? GatewayId { get; set; }
    public GatewayRow? Gateway { get; set; }
}

internal sealed class GatewayRow
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public long CreatedAt { get; set; }
    public required string TokenId { get; set; }
    public required byte[] TokenHash { get; set; }
    public required byte[] Salt { get; set; }
    public List<DeviceRow> Devices { get; set; } = [];
}

internal sealed class ApiTokenRow
{
    /// <summary>The lookup id embedded in the token.</summary>
    public required string Id { get; set; }
    public required string Name { get; set; }
    public int Role { get; set; }
    public long CreatedAt { get; set; }
    public long? LastUsedAt { get; set; }
    public long? RevokedAt { get; set; }
    public required byte[] TokenHash { get; set; }
    public required byte[] Salt { get; set; }
}
