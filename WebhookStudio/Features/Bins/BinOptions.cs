namespace WebhookStudio.Features.Bins;

public sealed class BinOptions
{
    public const string Section = "Bins";

    /// <summary>Bodies over this are kept up to this size and marked truncated; the sender still gets the bin's answer.</summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Bins and their requests older than this are purged.</summary>
    public int RetentionDays { get; set; } = 7;
}
