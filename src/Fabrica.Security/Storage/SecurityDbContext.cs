using Microsoft.EntityFrameworkCore;

namespace Fabrica.Security.Storage;

/// <summary>Devices, gateways and API tokens. Plain relational types only, so PostgreSQL can replace SQLite.</summary>
internal sealed class SecurityDbContext(DbContextOptions<SecurityDbContext> options) : DbContext(options)
{
    public const int MaxNameLength = 200;

    public DbSet<DeviceRow> Devices => Set<DeviceRow>();
    public DbSet<GatewayRow> Gateways => Set<GatewayRow>();
    public DbSet<ApiTokenRow> ApiTokens => Set<ApiTokenRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<DeviceRow>(device =>
        {
            device.ToTable("Devices");
            device.HasKey(d => d.Id);
            device.Property(d => d.Id).HasMaxLength(NamingRules.MaxDeviceIdLength);
            device.Property(d => d.Name).HasMaxLength(MaxNameLength);
            device.Property(d => d.TokenId).HasMaxLength(Tokens.TokenGenerator.LookupIdLength);
            device.HasIndex(d => d.TokenId).IsUnique();
            device.HasIndex(d => d.GatewayId);
            device.HasOne(d => d.Gateway).WithMany(g => g.Devices).HasForeignKey(d => d.GatewayId).OnDelete(DeleteBehavior.SetNull);
        });
        modelBuilder.Entity<GatewayRow>(gateway =>
        {
            gateway.ToTable("Gateways");
            gateway.HasKey(g => g.Id);
            gateway.Property(g => g.Id).HasMaxLength(NamingRules.MaxDeviceIdLength);
            gateway.Property(g => g.Name).HasMaxLength(MaxNameLength);
            gateway.Property(g => g.TokenId).HasMaxLength(Tokens.TokenGenerator.LookupIdLength);
            gateway.HasIndex(g => g.TokenId).IsUnique();
        });
        modelBuilder.Entity<ApiTokenRow>(token =>
        {
            token.ToTable("ApiTokens");
            token.HasKey(t => t.Id);
            token.Property(t => t.Id).HasMaxLength(Tokens.TokenGenerator.LookupIdLength);
            token.Property(t => t.Name).HasMaxLength(MaxNameLength);
        });
    }
}
