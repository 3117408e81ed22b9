using Microsoft.EntityFrameworkCore;

namespace WebhookStudio.Data;

/// <summary>
/// A self-hosted install upgrades itself: pending migrations are applied before the server
/// takes requests (hosted services start before Kestrel), then the first-run data is seeded.
/// </summary>
internal sealed class DatabaseMigrator(
    IDbContextFactory<StudioDbContext> contexts, StudioDatabase database, DataDirectory directory, IEnumerable<IStartupSeeder> seeders) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            // On PostgreSQL, EF Core holds a lock while migrating, so instances starting together migrate once.
            await db.Database.MigrateAsync(cancellationToken);
            // WAL lets readers (the UI) run beside the single writer; the mode is stored in the file.
            if (!database.IsShared)
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        // SQLite creates its files with the process's umask; the WAL and shared-memory files take the database's mode.
        if (!database.IsShared)
            directory.RestrictToOwner();

        foreach (var seeder in seeders)
            await seeder.SeedAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Runs once at start, after migrations (roles, the first administrator from configuration, …).</summary>
public interface IStartupSeeder
{
    Task SeedAsync(CancellationToken cancellationToken);
}
