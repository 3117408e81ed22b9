using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebhookStudio.Features.Connectors;

namespace WebhookStudio.Features.Tester;

/// <summary>
/// One request a user sent from the request tester, as it was sent but with sensitive header values masked:
/// history is for re-opening and re-sending, never a place where a hand-typed password survives.
/// </summary>
public sealed class TesterHistoryEntry
{
    public long Id { get; set; }

    /// <summary>Whose history: <c>user:&lt;id&gt;</c> for people, <c>key:&lt;id&gt;</c> for API keys.</summary>
    public required string Owner { get; set; }
    public DateTime At { get; set; }
    public required string Method { get; set; }
    public required string Url { get; set; }

    /// <summary>JSON list of <c>{name, value}</c>, sensitive values masked.</summary>
    public required string Headers { get; set; }
    public string? Body { get; set; }
    public string? ContentType { get; set; }
    public int? ConnectorId { get; set; }
    public int? SignAsSubscriptionId { get; set; }
    public int? Status { get; set; }
    public int DurationMs { get; set; }
    public string? Error { get; set; }
}

/// <summary>A named set of saved requests shared with the whole team.</summary>
public sealed class TesterCollection
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public string? CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public List<SavedRequest> Requests { get; set; } = [];
}

/// <summary>A named request in a collection. Credentials belong in a connector it references, not in its headers.</summary>
public sealed class SavedRequest
{
    public int Id { get; set; }
    public int CollectionId { get; set; }
    public int Position { get; set; }
    public required string Name { get; set; }
    public required string Method { get; set; }
    public required string Url { get; set; }

    /// <summary>JSON list of <c>{name, value}</c>, sensitive values masked.</summary>
    public required string Headers { get; set; }
    public string? Body { get; set; }
    public string? ContentType { get; set; }
    public int? ConnectorId { get; set; }
}

internal sealed class TesterHistoryEntryConfiguration : IEntityTypeConfiguration<TesterHistoryEntry>
{
    public void Configure(EntityTypeBuilder<TesterHistoryEntry> builder)
    {
        builder.ToTable("TesterHistory");
        builder.Property(h => h.Owner).HasMaxLength(100);
        builder.Property(h => h.Method).HasMaxLength(10);
        builder.Property(h => h.Url).HasMaxLength(4000);
        builder.Property(h => h.ContentType).HasMaxLength(200);
        builder.Property(h => h.Error).HasMaxLength(2000);
        builder.HasIndex(h => new { h.Owner, h.At });
    }
}

internal sealed class TesterCollectionConfiguration : IEntityTypeConfiguration<TesterCollection>
{
    public void Configure(EntityTypeBuilder<TesterCollection> builder)
    {
        builder.ToTable("TesterCollections");
        builder.Property(c => c.Name).HasMaxLength(200);
        builder.Property(c => c.Description).HasMaxLength(1000);
        builder.Property(c => c.CreatedBy).HasMaxLength(256);
        builder.HasMany(c => c.Requests).WithOne().HasForeignKey(r => r.CollectionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SavedRequestConfiguration : IEntityTypeConfiguration<SavedRequest>
{
    public void Configure(EntityTypeBuilder<SavedRequest> builder)
    {
        builder.ToTable("TesterSavedRequests");
        builder.Property(r => r.Name).HasMaxLength(200);
        builder.Property(r => r.Method).HasMaxLength(10);
        builder.Property(r => r.Url).HasMaxLength(4000);
        builder.Property(r => r.ContentType).HasMaxLength(200);
        builder.HasIndex(r => new { r.CollectionId, r.Position });
        // Deleting a connector leaves the saved request without credentials rather than blocking the delete.
        builder.HasOne<AuthConnector>().WithMany().HasForeignKey(r => r.ConnectorId).OnDelete(DeleteBehavior.SetNull);
    }
}
