using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebhookStudio.Features.Sources;
using WebhookStudio.Features.Sources.Inbound;

namespace WebhookStudio.Features.Items;

/// <summary>An entity a source's payloads describe, unique per (source, external id).</summary>
public sealed class Item
{
    public long Id { get; set; }
    public int SourceId { get; set; }
    public required string ExternalId { get; set; }
    public string? Title { get; set; }

    /// <summary>The entity's JSON, numbers exactly as the sender wrote them.</summary>
    public required string Data { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; } = 1;
}

public enum ChangeKind { Created, Updated, Deleted }

/// <summary>One step of an item's history: which fields changed, and which payload caused it.</summary>
public sealed class ItemChange
{
    public long Id { get; set; }
    public long ItemId { get; set; }
    public Item? Item { get; set; }
    public ChangeKind Kind { get; set; }

    /// <summary>JSON array of <c>{"path","old","new"}</c>.</summary>
    public required string Fields { get; set; }
    public long? PayloadId { get; set; }

    /// <summary>Set when the change was written from the response of this subscription (response mapping), not by a payload.</summary>
    public int? SubscriptionId { get; set; }

    /// <summary>With <see cref="SubscriptionId"/>: the delivery (or test) whose answer was written.</summary>
    public long? DeliveryId { get; set; }

    /// <summary>With <see cref="SubscriptionId"/>, for a test: who asked to write its answer onto the item.</summary>
    public string? Actor { get; set; }

    /// <summary>Where the change came from, for people, e.g. "From the response of subscription #3 (CRM)".</summary>
    public string? Note { get; set; }
    public DateTime At { get; set; }
}

internal sealed class ItemConfiguration : IEntityTypeConfiguration<Item>
{
    public void Configure(EntityTypeBuilder<Item> builder)
    {
        builder.Property(i => i.ExternalId).HasMaxLength(EntityMapper.MaxIdLength);
        builder.Property(i => i.Title).HasMaxLength(1000);
        builder.HasIndex(i => new { i.SourceId, i.ExternalId }).IsUnique();
        builder.HasIndex(i => i.UpdatedAt);
        builder.HasIndex(i => i.Title);
        builder.HasOne<Source>().WithMany().HasForeignKey(i => i.SourceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ItemChangeConfiguration : IEntityTypeConfiguration<ItemChange>
{
    public void Configure(EntityTypeBuilder<ItemChange> builder)
    {
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(10);
        builder.Property(c => c.Actor).HasMaxLength(256);
        builder.HasIndex(c => new { c.ItemId, c.Id });
        builder.HasIndex(c => c.PayloadId);
        // The dashboard counts changes per hour of the last day.
        builder.HasIndex(c => c.At);
        builder.HasOne(c => c.Item).WithMany().HasForeignKey(c => c.ItemId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>What was erased, by whom and when, without the erased data (erasure requests must leave a trace).</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public string? Actor { get; set; }
    public required string Action { get; set; }
    public required string Details { get; set; }
}
