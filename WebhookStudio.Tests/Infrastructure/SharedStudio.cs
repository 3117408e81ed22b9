using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookStudio.Data;
using WebhookStudio.Features.Deliveries;
using WebhookStudio.Features.Sources;

namespace WebhookStudio.Tests.Infrastructure;

/// <summary>
/// One studio for all the tests of a class, emptied before each test (the pattern of ContosoUniversity's SliceFixture):
/// starting a studio costs about a second of CPU (host, migrations, job storage), emptying it a few milliseconds.
/// The first test's settings start it; every test of a class asks for the same ones. A test that needs a studio of its
/// own (a restart, first run, two instances) makes a <see cref="StudioFactory"/> instead.
/// </summary>
public sealed class SharedStudio : IDisposable
{
    /// <summary>Kept across tests: the schema, the key ring (secrets stay readable) and the roles the studio seeds.</summary>
    private static readonly HashSet<string> KeptTables = ["__EFMigrationsHistory", "DataProtectionKeys", "AspNetRoles", "AspNetRoleClaims"];

    private static readonly TimeSpan QuietWithin = TimeSpan.FromSeconds(10);

    private StudioFactory? factory;
    private bool used;

    public StudioFactory Use(Func<StudioFactory> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        return factory ??= create();
    }

    /// <summary>
    /// Before each test: waits until the last test's background work is done (payloads processed, no send in flight),
    /// then deletes every row but the kept ones. Ids keep counting up (SQLite AUTOINCREMENT), so a job left over from
    /// the last test finds nothing under its ids.
    /// </summary>
    public async Task ResetAsync()
    {
        if (factory is null)
            throw new InvalidOperationException("Use(create) comes first.");
        if (!used)
        {
            used = true;
            return;
        }
        var services = factory.Services;
        var contexts = services.GetRequiredService<IDbContextFactory<StudioDbContext>>();
        var clock = services.GetRequiredService<TimeProvider>();
        await Eventually.Until(async () =>
            {
                await using var db = await contexts.CreateDbContextAsync();
                var now = clock.GetUtcNow().UtcDateTime;
                return await db.Payloads.AnyAsync(p => p.Outcome == PayloadOutcome.Pending)
                       || await db.Deliveries.AnyAsync(d => d.Status == DeliveryStatus.Pending && d.LeaseUntil > now);
            }, busy => !busy, "the previous test's payloads and sends to finish", QuietWithin);

        await services.GetRequiredService<StudioWrites>().RunAsync(async db =>
        {
            var tables = db.Model.GetEntityTypes().Select(t => t.GetTableName()).OfType<string>().Distinct().Where(t => !KeptTables.Contains(t));
            // Foreign keys are checked at the commit, when every referencing row is gone too.
            var empty = "PRAGMA defer_foreign_keys = ON;\n" + string.Join("\n", tables.Select(table => $"DELETE FROM \"{table}\";"));
            await db.Database.ExecuteSqlRawAsync(empty);
        }, CancellationToken.None);
    }

    public void Dispose() => factory?.Dispose();
}
