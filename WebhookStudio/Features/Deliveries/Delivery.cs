using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebhookStudio.Features.Items;
using WebhookStudio.Features.Outbound;
using WebhookStudio.Features.Outbound.Templates;
using WebhookStudio.Features.Sources;
using WebhookStudio.Features.Subscriptions;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Deliveries;

public enum DeliveryStatus { Pending, Delivered, Failed, Buffered, Cancelled, Expired }

/// <summary>
/// One activity to send to one subscription (the outbox row), with a <see cref="WebhookId"/> every attempt
/// repeats. Tests from the Test button are deliveries too, marked <see cref="IsTest"/>, with one attempt.
/// </summary>
public sealed class Delivery
{
    public long Id { get; set; }
    public int SubscriptionId { get; set; }

    /// <summary>A single activity flag.</summary>
    public Activities Activity { get; set; }
    public long? ItemId { get; set; }

    /// <summary>Set by the fan-out, in the transaction that creates the item, so EF fills <see cref="ItemId"/> on save.</summary>
    public Item? Item { get; set; }
    public long? ItemChangeId { get; set; }

    /// <summary>Set by the fan-out with <see cref="Item"/>, for the same reason.</summary>
    public ItemChange? ItemChange { get; set; }
    public long? PayloadId { get; set; }

    /// <summary>The activity as sent (the template model), when it is not an item's recorded change (a hand-written test activity).</summary>
    public string? ActivityJson { get; set; }

    public required string WebhookId { get; set; }
    public DeliveryStatus Status { get; set; } = DeliveryStatus.Pending;
    public bool IsTest { get; set; }
    public int AttemptCount { get; set; }
    public DateTime? NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public FailureKind LastFailure { get; set; }
    public int? LastStatusCode { get; set; }
    public DateTime? LastAttemptAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? CompletedAt { get; set; }

    /// <summary>
    /// A worker sending this delivery holds it until then; another worker (or instance) leaves it alone. A lease
    /// left by a killed process simply runs out, and the reconciler picks the delivery up again.
    /// </summary>
    public DateTime? LeaseUntil { get; set; }

    /// <summary>The <see cref="AttemptCount"/> when the current chain of retries began ("Retry now" starts a new one).</summary>
    public int ChainStart { get; set; }

    /// <summary>The delivery this one replays (same activity, a new attempt chain).</summary>
    public long? ReplayOfId { get; set; }

    public int AttemptsInChain => AttemptCount - ChainStart;
}

/// <summary>One try of a delivery: the request as sent (secrets masked) and the answer (capped) or the error.</summary>
public sealed class DeliveryAttempt
{
    public long Id { get; set; }
    public long DeliveryId { get; set; }
    public DateTime At { get; set; }
    public int DurationMs { get; set; }

    /// <summary>JSON of the masked <see cref="RequestSummary"/>.</summary>
    public required string Request { get; set; }
    public int? ResponseStatus { get; set; }

    /// <summary>JSON array of <c>{"name","value"}</c>.</summary>
    public string? ResponseHeaders { get; set; }
    public string? ResponseBody { get; set; }
    public bool ResponseTruncated { get; set; }
    public FailureKind FailureKind { get; set; }
    public string? Error { get; set; }

    /// <summary>The stored form of an attempt: the masked request and the capped response.</summary>
    public static DeliveryAttempt Of(long deliveryId, SendResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new DeliveryAttempt
        {
            DeliveryId = deliveryId,
            At = result.At,
            DurationMs = (int)Math.Min(int.MaxValue, result.Duration.TotalMilliseconds),
            Request = JsonSerializer.Serialize(result.Request, StudioJson.Options),
            ResponseStatus = result.Response?.StatusCode,
            ResponseHeaders = result.Response is null ? null : JsonSerializer.Serialize(result.Response.Headers, StudioJson.Options),
            ResponseBody = result.Response?.Body,
            ResponseTruncated = result.Response?.Truncated ?? false,
            FailureKind = result.Failure,
            Error = result.Error,
        };
    }
}

internal sealed class DeliveryConfiguration : IEntityTypeConfiguration<Delivery>
{
    public void Configure(EntityTypeBuilder<Delivery> builder)
    {
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(d => d.WebhookId).HasMaxLength(100);
        builder.HasIndex(d => new { d.SubscriptionId, d.Id });
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        builder.Property(d => d.LastFailure).HasConversion<string>().HasMaxLength(30);
        builder.Ignore(d => d.AttemptsInChain);
        builder.HasIndex(d => d.ItemId);
        builder.HasIndex(d => d.CreatedAt);
        builder.HasOne<Subscription>().WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
        // Erasing an item (or purging old payloads) removes the deliveries that carried its data, attempts included.
        builder.HasOne(d => d.Item).WithMany().HasForeignKey(d => d.ItemId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(d => d.ItemChange).WithMany().HasForeignKey(d => d.ItemChangeId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<ReceivedPayload>().WithMany().HasForeignKey(d => d.PayloadId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DeliveryAttemptConfiguration : IEntityTypeConfiguration<DeliveryAttempt>
{
    public void Configure(EntityTypeBuilder<DeliveryAttempt> builder)
    {
        builder.Property(a => a.FailureKind).HasConversion<string>().HasMaxLength(30);
        builder.HasIndex(a => new { a.DeliveryId, a.Id });
        builder.HasOne<Delivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
    }
}
