namespace WebhookStudio.Features.Sources;

public sealed class ReceiverOptions
{
    public const string Section = "Receiver";

    /// <summary>Bodies over this answer 413 without being read whole.</summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Requests per minute per source; 0 turns the limit off.</summary>
    public int RateLimitPerMinute { get; set; }

    /// <summary>Payloads older than this are purged (items stay); a source may override it.</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary>A payload whose mapping finds more entities than this fails with the reason, creating no item: one small request must not become thousands of items and deliveries.</summary>
    public int MaxEntitiesPerPayload { get; set; } = 1000;

    /// <summary>How long a de-duplication key is remembered.</summary>
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromHours(24);
}
