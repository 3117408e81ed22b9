using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebhookStudio.Features.Sources;

/// <summary>Every payload ends in one visible outcome; <see cref="Pending"/> only until the processor reaches it.</summary>
/// <summary>What became of a received request; <see cref="Handshake"/> is an app's check of the URL, answered and listed, never processed.</summary>
public enum PayloadOutcome { Pending, Processed, Filtered, Failed, Stored, Duplicate, Rejected, Handshake }

/// <summary>A request body as received, kept byte for byte, with what became of it.</summary>
public sealed class ReceivedPayload
{
    public long Id { get; set; }
    public int SourceId { get; set; }
    public DateTime ReceivedAt { get; set; }
    public required string ContentType { get; set; }

    /// <summary>Request headers as a JSON object; secrets are masked when shown, not when stored, so verification can be debugged.</summary>
    public required string Headers { get; set; }
    public string? RemoteAddress { get; set; }
    public int Size { get; set; }
    public required byte[] Body { get; set; }

    public PayloadOutcome Outcome { get; set; }
    public string? Reason { get; set; }
    public string? DedupValue { get; set; }
    public long? DuplicateOfId { get; set; }
    public int Created { get; set; }
    public int Updated { get; set; }
    public int Unchanged { get; set; }
    public DateTime? ProcessedAt { get; set; }
}

internal sealed class ReceivedPayloadConfiguration : IEntityTypeConfiguration<ReceivedPayload>
{
    public void Configure(EntityTypeBuilder<ReceivedPayload> builder)
    {
        builder.ToTable("Payloads");
        builder.Property(p => p.Outcome).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.ContentType).HasMaxLength(Receiving.PayloadReceiver.MaxContentTypeLength);
        builder.HasIndex(p => new { p.SourceId, p.Id });
        builder.HasIndex(p => new { p.Outcome, p.Id });
        builder.HasIndex(p => new { p.SourceId, p.DedupValue });
        builder.HasIndex(p => p.ReceivedAt);
        // A source's "payloads today" is counted from this index alone; the one above would read every row of the day.
        builder.HasIndex(p => new { p.SourceId, p.ReceivedAt });
        builder.HasOne<Source>().WithMany().HasForeignKey(p => p.SourceId).OnDelete(DeleteBehavior.Cascade);
    }
}
