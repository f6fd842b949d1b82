using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Fabrica.Identifiers.Store;

/// <summary>
/// Handle records and resolution statistics, in their own SQLite file (<c>&lt;data&gt;/identifiers.db</c>), apart from
/// the platform's <c>fabrica.db</c>: an identifier node also runs alone (<c>fabrica idnode</c>), is backed up and
/// replicated on its own schedule, and its write load (bulk imports) must not hold SQLite's single writer lock against
/// token and device changes. Plain types only (text, integers, blobs), so PostgreSQL can replace SQLite.
/// </summary>
internal sealed class IdentifierDbContext(DbContextOptions<IdentifierDbContext> options) : DbContext(options)
{
    public DbSet<HandleRow> Handles => Set<HandleRow>();
    public DbSet<ResolutionCountRow> ResolutionCounts => Set<ResolutionCountRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<HandleRow>(handle =>
        {
            handle.ToTable("Handles");
            handle.HasKey(h => h.Handle);
            handle.Property(h => h.Handle).HasMaxLength(Fabrica.Identifiers.Model.HandleName.MaxUtf8Length);
            handle.Property(h => h.Prefix).HasMaxLength(255);
            handle.HasIndex(h => h.Prefix);
        });
        modelBuilder.Entity<ResolutionCountRow>(count =>
        {
            count.ToTable("ResolutionCounts");
            count.HasKey(c => new { c.Prefix, c.Day });
            count.Property(c => c.Prefix).HasMaxLength(255);
        });
    }
}

/// <summary>One handle record. <see cref="Values"/> holds the values in the RFC 3652 binary form (Int4 count × HandleValue).</summary>
internal sealed class HandleRow
{
    /// <summary>The canonical handle (prefix upper-cased).</summary>
    public required string Handle { get; set; }
    public required string Prefix { get; set; }
    public required byte[] Values { get; set; }

    /// <summary>UTC Unix milliseconds of the last change.</summary>
    public long UpdatedAt { get; set; }
}

/// <summary>Resolutions answered for a prefix on a UTC day (<see cref="Day"/> = days since 1970-01-01).</summary>
internal sealed class ResolutionCountRow
{
    public required string Prefix { get; set; }
    public int Day { get; set; }
    public long Count { get; set; }
}

/// <summary>Lets <c>dotnet ef migrations add Name --project src/Fabrica.Identifiers</c> build the model without a host.</summary>
internal sealed class DesignTimeIdentifierDbContextFactory : IDesignTimeDbContextFactory<IdentifierDbContext>
{
    public IdentifierDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<IdentifierDbContext>().UseSqlite(HandleStore.BuildConnectionString("design-time.db")).Options);
}
