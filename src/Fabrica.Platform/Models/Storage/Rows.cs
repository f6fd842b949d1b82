namespace Fabrica.Platform.Models.Storage;

// Rows as stored: plain text and integers (times as UTC Unix milliseconds), so that PostgreSQL can replace SQLite.
// Types, assets and rules are stored as their JSON documents, with the columns that queries and foreign checks need
// beside them; Position keeps the order users gave.

internal sealed class AssetTypeRow
{
    public required string Id { get; set; }
    public long Position { get; set; }
    public required string Json { get; set; }
    public long UpdatedAt { get; set; }
}

internal sealed class AssetRow
{
    public required string Id { get; set; }
    public string? ParentId { get; set; }
    public string? TypeId { get; set; }
    public long Position { get; set; }
    public required string Json { get; set; }
    public long UpdatedAt { get; set; }
}

internal sealed class RuleRow
{
    public required string Id { get; set; }
    public string? AssetType { get; set; }
    public string? Asset { get; set; }
    public bool Enabled { get; set; }
    public long Position { get; set; }
    public required string Json { get; set; }
    public long UpdatedAt { get; set; }
}

internal sealed class AlarmRow
{
    public required string Id { get; set; }
    public required string RuleId { get; set; }
    public required string AssetId { get; set; }
    public required string AssetPath { get; set; }
    public required string Message { get; set; }
    public int State { get; set; }
    public int Priority { get; set; }
    public int Severity { get; set; }
    public long RaisedAt { get; set; }
    public long ChangedAt { get; set; }
    public long? ClearedAt { get; set; }
    public long? AcknowledgedAt { get; set; }
    public string? AcknowledgedBy { get; set; }
    public string? AcknowledgeComment { get; set; }
    public long? ShelvedUntil { get; set; }
    public string? ShelvedBy { get; set; }
    public string? ShelveComment { get; set; }
    public long? ClosedAt { get; set; }
    public int Occurrences { get; set; }
    public string? ValuesJson { get; set; }
    public int Suppression { get; set; }
}

/// <summary>An alarm point (rule × asset) that is suppressed or out of service; points in service have no row.</summary>
internal sealed class AlarmPointRow
{
    public required string RuleId { get; set; }
    public required string AssetId { get; set; }
    public required string AssetPath { get; set; }
    public int Mode { get; set; }
    public long Since { get; set; }
    public required string By { get; set; }
    public string? Comment { get; set; }
}

internal sealed class AlarmEventRow
{
    public long Seq { get; set; }
    public required string AlarmId { get; set; }
    public required string AssetId { get; set; }
    public long Time { get; set; }
    public required string Kind { get; set; }
    public int State { get; set; }
    public required string Actor { get; set; }
    public string? Comment { get; set; }
}

internal sealed class CommandRow
{
    public required string Id { get; set; }
    public string? AssetId { get; set; }
    public required string DeviceId { get; set; }
    public required string Name { get; set; }
    public required string ArgsJson { get; set; }
    public int Status { get; set; }
    public required string Actor { get; set; }
    public long CreatedAt { get; set; }
    public long ExpiresAt { get; set; }
    public long? DeliveredAt { get; set; }
    public long? CompletedAt { get; set; }
    public string? ResultJson { get; set; }
    public string? Error { get; set; }
}
