using Microsoft.EntityFrameworkCore;
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
    public void Each_provider_creates_its_schema_in_one_initial_migration_of_its_own()
    {
        using var sqlite = new SqliteDesignTimeFactory().CreateDbContext([]);
        using var postgres = new PostgresDesignTimeFactory().CreateDbContext([]);
        Assert.EndsWith("_Initial", Assert.Single(sqlite.Database.GetMigrations()), StringComparison.Ordinal);
        Assert.EndsWith("_Initial", Assert.Single(postgres.Database.GetMigrations()), StringComparison.Ordinal);
        Assert.Empty(sqlite.Database.GetMigrations().Intersect(postgres.Database.GetMigrations()));
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
