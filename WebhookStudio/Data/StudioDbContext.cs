using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using WebhookStudio.Api.Idempotency;
using WebhookStudio.Features.Access;
using WebhookStudio.Features.Account;
using WebhookStudio.Features.Bins;
using WebhookStudio.Features.Connectors;
using WebhookStudio.Features.Deliveries;
using WebhookStudio.Features.Items;
using WebhookStudio.Features.Notifications;
using WebhookStudio.Features.Sources;
using WebhookStudio.Features.Subscriptions;
using WebhookStudio.Features.Tester;

namespace WebhookStudio.Data;

/// <summary>
/// The one EF Core model of the studio (Identity included). Each feature configures its own entities with an
/// <see cref="IEntityTypeConfiguration{TEntity}"/> in its folder. Services ask for
/// <c>IDbContextFactory&lt;StudioDbContext&gt;</c>; what they get is the subclass of the configured provider,
/// <see cref="SqliteStudioDbContext"/> or <see cref="PostgresStudioDbContext"/>, because EF Core finds migrations
/// by context type: each subclass owns one migrations set, both generated from this one model (see docs/development.md).
/// </summary>
public abstract class StudioDbContext(DbContextOptions options) : IdentityDbContext<StudioUser>(options), IDataProtectionKeyContext
{
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<Source> Sources => Set<Source>();
    public DbSet<ReceivedPayload> Payloads => Set<ReceivedPayload>();
    public DbSet<Item> Items => Set<Item>();
    public DbSet<ItemChange> ItemChanges => Set<ItemChange>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<AuthConnector> Connectors => Set<AuthConnector>();
    public DbSet<Subscription> Subscriptions => Set<Subscription>();
    public DbSet<Delivery> Deliveries => Set<Delivery>();
    public DbSet<DeliveryAttempt> DeliveryAttempts => Set<DeliveryAttempt>();
    public DbSet<TesterHistoryEntry> TesterHistory => Set<TesterHistoryEntry>();
    public DbSet<TesterCollection> TesterCollections => Set<TesterCollection>();
    public DbSet<SavedRequest> SavedRequests => Set<SavedRequest>();

    /// <summary>The Data Protection key ring, used only with PostgreSQL so every instance shares it (SQLite keeps it in files).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<RequestBin> RequestBins => Set<RequestBin>();
    public DbSet<BinRequest> BinRequests => Set<BinRequest>();
    public DbSet<IdempotencyRecord> IdempotencyKeys => Set<IdempotencyRecord>();
    public DbSet<Notification> Notifications => Set<Notification>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(StudioDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no time zone type and cannot compare DateTimeOffset in SQL; every time is stored as UTC
        // DateTime and read back marked as UTC, so the API prints ISO-8601 with a Z. PostgreSQL stores them as
        // timestamptz, which Npgsql accepts only for UTC values: the converter marks them so on the way in too.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }
}

/// <summary>The studio's model on SQLite; migrations in <c>Data/Migrations/Sqlite</c>.</summary>
public sealed class SqliteStudioDbContext(DbContextOptions options) : StudioDbContext(options);

/// <summary>The studio's model on PostgreSQL; migrations in <c>Data/Migrations/PostgreSql</c>.</summary>
public sealed class PostgresStudioDbContext(DbContextOptions options) : StudioDbContext(options);
