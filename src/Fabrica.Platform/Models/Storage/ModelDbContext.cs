using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Fabrica.Platform.Models.Storage;

/// <summary>
/// Asset types, assets, rules, alarms with their history, and commands. Lives in the platform's <c>fabrica.db</c> beside
/// Fabrica.Security's tables, with its own migrations history table, so that one file (and one backup) holds all metadata.
/// </summary>
internal sealed class ModelDbContext(DbContextOptions<ModelDbContext> options) : DbContext(options)
{
    public const string MigrationsHistoryTable = "__ModelMigrationsHistory";
    private const int IdLength = NamingRules.MaxDeviceIdLength;

    public DbSet<AssetTypeRow> AssetTypes => Set<AssetTypeRow>();
    public DbSet<AssetRow> Assets => Set<AssetRow>();
    public DbSet<RuleRow> Rules => Set<RuleRow>();
    public DbSet<AlarmRow> Alarms => Set<AlarmRow>();
    public DbSet<AlarmEventRow> AlarmEvents => Set<AlarmEventRow>();
    public DbSet<CommandRow> Commands => Set<CommandRow>();
    public DbSet<AlarmPointRow> AlarmPoints => Set<AlarmPointRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<AssetTypeRow>(e =>
        {
            e.ToTable("AssetTypes");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).HasMaxLength(IdLength);
        });
        modelBuilder.Entity<AssetRow>(e =>
        {
            e.ToTable("Assets");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).HasMaxLength(IdLength);
            e.Property(r => r.ParentId).HasMaxLength(IdLength);
            e.Property(r => r.TypeId).HasMaxLength(IdLength);
            e.HasIndex(r => r.ParentId);
            e.HasIndex(r => r.TypeId);
        });
        modelBuilder.Entity<RuleRow>(e =>
        {
            e.ToTable("Rules");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).HasMaxLength(IdLength);
            e.Property(r => r.AssetType).HasMaxLength(IdLength);
            e.Property(r => r.Asset).HasMaxLength(IdLength);
        });
        modelBuilder.Entity<AlarmRow>(e =>
        {
            e.ToTable("Alarms");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).HasMaxLength(32);
            e.HasIndex(r => r.ClosedAt);
            e.HasIndex(r => new { r.AssetId, r.RaisedAt });
            e.HasIndex(r => r.RaisedAt);
        });
        modelBuilder.Entity<AlarmEventRow>(e =>
        {
            e.ToTable("AlarmEvents");
            e.HasKey(r => r.Seq);
            e.Property(r => r.Seq).ValueGeneratedOnAdd();
            e.HasIndex(r => r.Time);
            e.HasIndex(r => r.AlarmId);
        });
        modelBuilder.Entity<CommandRow>(e =>
        {
            e.ToTable("Commands");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).HasMaxLength(32);
            e.HasIndex(r => r.CreatedAt);
            e.HasIndex(r => r.Status);
        });
        modelBuilder.Entity<AlarmPointRow>(e =>
        {
            e.ToTable("AlarmPoints");
            e.HasKey(r => new { r.RuleId, r.AssetId });
            e.Property(r => r.RuleId).HasMaxLength(IdLength);
            e.Property(r => r.AssetId).HasMaxLength(IdLength);
        });
    }
}

/// <summary>Lets <c>dotnet ef migrations add Name --project src/Fabrica.Platform</c> build the model without a host.</summary>
internal sealed class DesignTimeModelDbContextFactory : IDesignTimeDbContextFactory<ModelDbContext>
{
    public ModelDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ModelDbContext>()
            .UseSqlite(Security.Storage.SecurityStore.BuildConnectionString("design-time.db"), o => o.MigrationsHistoryTable(ModelDbContext.MigrationsHistoryTable))
            .Options);
}
