using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebhookStudio.Api.Idempotency;

/// <summary>
/// A create request sent with an <c>Idempotency-Key</c>, and (once it succeeded) the answer it got, so a client that
/// retries after a lost answer gets that answer again instead of a second copy.
/// </summary>
public sealed class IdempotencyRecord
{
    public long Id { get; set; }

    /// <summary>Whose key it is (<c>key:3</c> for API key 3, <c>user:…</c> for a signed-in user): keys of different callers never meet.</summary>
    public required string Principal { get; set; }
    public required string Key { get; set; }

    /// <summary>SHA-256 of the endpoint and the request's values: the same key with another request is refused.</summary>
    public required string RequestHash { get; set; }

    /// <summary>0 while the first request is still running.</summary>
    public int StatusCode { get; set; }
    public string? ContentType { get; set; }
    public string? Location { get; set; }
    /// <summary>The answer's body, encrypted with Data Protection.</summary>
    public byte[]? ResponseBody { get; set; }
    public DateTime CreatedAt { get; set; }

    public bool IsCompleted => StatusCode != 0;
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("IdempotencyKeys");
        builder.Property(r => r.Principal).HasMaxLength(300);
        builder.Property(r => r.Key).HasMaxLength(IdempotencyFilter.MaxKeyLength);
        builder.Property(r => r.RequestHash).HasMaxLength(64);
        builder.Property(r => r.ContentType).HasMaxLength(200);
        builder.Property(r => r.Location).HasMaxLength(2000);
        // The unique index is what keeps two concurrent requests with one key from both running.
        builder.HasIndex(r => new { r.Principal, r.Key }).IsUnique();
        builder.HasIndex(r => r.CreatedAt);
    }
}
