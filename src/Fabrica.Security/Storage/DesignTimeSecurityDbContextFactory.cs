using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Fabrica.Security.Storage;

/// <summary>
/// Lets <c>dotnet ef migrations add Name --project src/Fabrica.Security</c> build the model without a host.
/// The path is never opened by the migrations tool.
/// </summary>
internal sealed class DesignTimeSecurityDbContextFactory : IDesignTimeDbContextFactory<SecurityDbContext>
{
    public SecurityDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SecurityDbContext>()
            .UseSqlite(SecurityStore.BuildConnectionString("design-time.db"))
            .Options);
}
