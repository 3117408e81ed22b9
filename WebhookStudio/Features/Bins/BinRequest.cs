using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebhookStudio.Features.Bins;

/// <summary>One request a bin received, as it arrived (the body up to <c>Bins:MaxBodyBytes</c>).</summary>
public sealed class BinRequest
{
    public long Id { get; set; }
    public int BinId { get; set; }
    public DateTime ReceivedAt { get; set; }
    public required string Method { get; set; }

    /// <summary>The part after the bin's token: <c>/</c>, or e.g. <c>/orders/42</c> for <c>/bins/{token}/orders/42</c>.</summary>
    public required string Path { get; set; }

    /// <summary>With its leading <c>?</c>, or empty.</summary>
    public string QueryString { get; set; } = "";
    public string? ContentType { get; set; }

    /// <summary>Request headers as a JSON object; secrets are masked when shown, not when stored.</summary>
    public required string Headers { get; set; }
    public string? RemoteAddress { get; set; }

    /// <summary>Bytes the sender sent, also when only the first part was kept.</summary>
    public long Size { get; set; }
    public bool Truncated { get; set; }
    public required byte[] Body { get; set; }
}

internal sealed class BinRequestConfiguration : IEntityTypeConfiguration<BinRequest>
{
    public void Configure(EntityTypeBuilder<BinRequest> builder)
    {
        builder.ToTable("BinRequests");
        builder.Property(r => r.Method).HasMaxLength(20);
        builder.Property(r => r.Path).HasMaxLength(2000);
        builder.Property(r => r.QueryString).HasMaxLength(4000);
        builder.Property(r => r.ContentType).HasMaxLength(200);
        builder.HasIndex(r => new { r.BinId, r.Id });
        builder.HasIndex(r => r.ReceivedAt);
        builder.HasOne<RequestBin>().WithMany().HasForeignKey(r => r.BinId).OnDelete(DeleteBehavior.Cascade);
    }
}
