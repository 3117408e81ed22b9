using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebhookStudio.Features.Subscriptions;

namespace WebhookStudio.Features.Notifications;

public enum NotificationKind { SubscriptionDeactivated }

/// <summary>Something a person should act on, shown under the bell in the app bar until read.</summary>
public sealed class Notification
{
    public long Id { get; set; }
    public NotificationKind Kind { get; set; }

    /// <summary>The subscription it is about, for the Reactivate action.</summary>
    public int? SubscriptionId { get; set; }
    public required string Message { get; set; }

    /// <summary>A path inside the studio (e.g. <c>/deliveries?subscriptionId=3</c>).</summary>
    public string? Link { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ReadAt { get; set; }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.Property(n => n.Kind).HasConversion<string>().HasMaxLength(40);
        builder.Property(n => n.Message).HasMaxLength(2000);
        builder.Property(n => n.Link).HasMaxLength(500);
        builder.HasIndex(n => new { n.ReadAt, n.Id });
        builder.HasOne<Subscription>().WithMany().HasForeignKey(n => n.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
    }
}
