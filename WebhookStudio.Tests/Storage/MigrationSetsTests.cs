using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using WebhookStudio.Data;

namespace WebhookStudio.Tests.Storage;

/// <summary>Each provider has its own migrations set, generated from the one model; neither may fall behind it.</summary>
public sealed class MigrationSetsTests
{
    [Fact]
    public void The_sqlite_migrations_match_the_model()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(),
            "The model changed: dotnet ef migrations add <Name> --project WebhookStudio --context SqliteStudioDbContext --output-dir Data/Migrations/Sqlite");
    }

    [Fact]
    public void The_postgresql_migrations_match_the_model()
    {
        using var db = new PostgresDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(),
            "The model changed: dotnet ef migrations add <Name> --project WebhookStudio --context PostgresStudioDbContext --output-dir Data/Migrations/PostgreSql");
    }

    [Fact]
    public void Each_provider_starts_from_one_initial_migration_of_its_own()
    {
        using var sqlite = new SqliteDesignTimeFactory().CreateDbContext([]);
        using var postgres = new PostgresDesignTimeFactory().CreateDbContext([]);
        Assert.EndsWith("_Initial", sqlite.Database.GetMigrations().First(), StringComparison.Ordinal);
        Assert.EndsWith("_Initial", postgres.Database.GetMigrations().First(), StringComparison.Ordinal);
        Assert.Single(sqlite.Database.GetMigrations(), m => m.EndsWith("_Initial", StringComparison.Ordinal));
        Assert.Empty(sqlite.Database.GetMigrations().Intersect(postgres.Database.GetMigrations()));
    }

    [Fact]
    public async Task A_database_made_by_the_initial_migration_upgrades_keeping_its_rows()
    {
        var folder = Directory.CreateTempSubdirectory("studio-upgrade-");
        var options = new DbContextOptionsBuilder<SqliteStudioDbContext>().UseSqlite($"Data Source={Path.Combine(folder.FullName, "studio.db")};Pooling=False").Options;
        await using (var db = new SqliteStudioDbContext(options))
        {
            var migrator = db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>();
            await migrator.MigrateAsync(db.Database.GetMigrations().First());
            db.Sources.Add(new Features.Sources.Source { Name = "kept", Token = "upgrade-token" });
            await db.SaveChangesAsync();
        }
        await using (var db = new SqliteStudioDbContext(options))
        {
            await db.Database.MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.Equal(["kept"], await db.Sources.Select(s => s.Name).ToListAsync());
        }
        folder.Delete(recursive: true);
    }

    [Fact]
    public void Services_get_the_context_of_the_configured_provider()
    {
        using var factory = new Infrastructure.StudioFactory();
        using var db = factory.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContext();
        Assert.IsType<SqliteStudioDbContext>(db);
        Assert.True(db.Database.IsSqlite());
    }
}
