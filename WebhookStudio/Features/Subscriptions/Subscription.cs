using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebhookStudio.Features.Connectors;
using WebhookStudio.Features.Outbound.Templates;
using WebhookStudio.Features.Sources;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Subscriptions;

public enum SubscriptionMethod { Post, Put, Patch, Get }

public enum BodyFormat { Default, Json, Xml, Text, Form }

/// <summary>A query parameter or header: both name and value may hold placeholders (the value) .</summary>
public sealed record NameValue(string Name, string Value);

/// <summary>After a successful delivery: the value at <see cref="Path"/> (JSONPath) of the response goes to the item's <see cref="Field"/>.</summary>
public sealed record ResponseMappingRule(string Path, string Field);

/// <summary>An outgoing webhook: which activities of which items it sends, where, and how.</summary>
public sealed class Subscription
{
    public int Id { get; set; }
    public required string Name { get; set; }

    /// <summary>A free label to group subscriptions (e.g. the receiving app).</summary>
    public required string App { get; set; }

    /// <summary>The source whose items it sends; null for every source.</summary>
    public int? SourceId { get; set; }
    public Activities Activities { get; set; }

    /// <summary>A condition group (JSON form) on the item's data; null sends every item.</summary>
    public string? Condition { get; set; }

    public SubscriptionMethod Method { get; set; } = SubscriptionMethod.Post;
    public required string Url { get; set; }
    public List<NameValue> QueryParameters { get; set; } = [];
    public List<NameValue> Headers { get; set; } = [];

    /// <summary>GET: send the query parameters as headers instead of in the query string.</summary>
    public bool ParametersInHeaders { get; set; }

    public int? ConnectorId { get; set; }
    public BodyFormat BodyFormat { get; set; } = BodyFormat.Default;
    public string? BodyTemplate { get; set; }
    public List<ResponseMappingRule> ResponseMapping { get; set; } = [];

    public bool Active { get; set; } = true;
    public string? DeactivationReason { get; set; }
    public DateTime? DeactivatedAt { get; set; }
    public DateTime? DeletedAt { get; set; }

    /// <summary>Failed attempts in a row (any success resets it); the delivery engine deactivates past a limit.</summary>
    public int ConsecutiveFailures { get; set; }

    /// <summary>The first failure of the current run of failures.</summary>
    public DateTime? FailingSince { get; set; }

    /// <summary>Attempts per delivery before it is given up (the delivery engine's retry schedule).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Send the deliveries of one item in activity order.</summary>
    public bool PreserveOrder { get; set; }

    public required string SigningSecretProtected { get; set; }

    /// <summary>After a rotation the old secret keeps signing beside the new one until <see cref="PreviousSigningSecretExpiresAt"/>.</summary>
    public string? PreviousSigningSecretProtected { get; set; }
    public DateTime? PreviousSigningSecretExpiresAt { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class SubscriptionConfiguration : IEntityTypeConfiguration<Subscription>
{
    public void Configure(EntityTypeBuilder<Subscription> builder)
    {
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.App).HasMaxLength(100);
        builder.Property(s => s.Method).HasConversion<string>().HasMaxLength(10);
        builder.Property(s => s.BodyFormat).HasConversion<string>().HasMaxLength(10);
        builder.Property(s => s.Url).HasMaxLength(4000);
        JsonList(builder.Property(s => s.QueryParameters));
        JsonList(builder.Property(s => s.Headers));
        JsonList(builder.Property(s => s.ResponseMapping));
        builder.HasIndex(s => s.App);
        builder.HasIndex(s => s.SourceId);
        builder.HasOne<Source>().WithMany().HasForeignKey(s => s.SourceId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<AuthConnector>().WithMany().HasForeignKey(s => s.ConnectorId).OnDelete(DeleteBehavior.Restrict);
    }

    /// <summary>Small lists kept as one JSON column: they are always read and written with their subscription.</summary>
    private static void JsonList<T>(PropertyBuilder<List<T>> property) => property
        .HasConversion(
            list => JsonSerializer.Serialize(list, StudioJson.Options),
            text => JsonSerializer.Deserialize<List<T>>(text, StudioJson.Options) ?? new List<T>(),
            new ValueComparer<List<T>>((a, b) => a!.SequenceEqual(b!), l => l.Aggregate(0, (h, x) => HashCode.Combine(h, x)), l => l.ToList()));
}
