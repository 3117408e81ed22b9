using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using WebhookStudio.Features.Access;
using WebhookStudio.Features.Account;
using WebhookStudio.Features.Connectors;
using WebhookStudio.Features.Deliveries;
using WebhookStudio.Features.Items;
using WebhookStudio.Features.Notifications;
using WebhookStudio.Features.Sources;
using WebhookStudio.Features.Subscriptions;

namespace WebhookStudio.Data;

/// <summary>
/// The one EF Core model of the studio (Identity included). Each feature configures its own entities with an
/// <see cref="IEntityTypeConfiguration{TEntity}"/> in its folder.
/// Add a migration (from the repository root):
/// <code>dotnet tool restore &amp;&amp; dotnet ef migrations add &lt;Name&gt; --project WebhookStudio --output-dir Data/Migrations</code>
/// </summary>
public sealed class StudioDbContext(DbContextOptions<StudioDbContext> options) : IdentityDbContext<StudioUser>(options)
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
    public DbSet<Notification> Notifications => Set<Notification>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(StudioDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no time zone type and cannot compare DateTimeOffset in SQL; every time is stored as UTC
        // DateTime and read back marked as UTC, so the API prints ISO-8601 with a Z.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }
}
