namespace WebhookStudio.Features.Sources;

public enum StudioEventKind { PayloadReceived, PayloadProcessed, ItemCreated, ItemUpdated, ItemDeleted }

/// <summary>
/// What the pipeline did to a source's payloads and items, for live pages and the outbound side. With several
/// instances on one PostgreSQL database, <see cref="StudioEventRelay"/> passes these to the other instances.
/// </summary>
public sealed record StudioEvent(StudioEventKind Kind, int SourceId, long? PayloadId = null, long? ItemId = null, long? ChangeId = null)
{
    /// <summary>True when another instance on the same database did this (relayed by PostgreSQL NOTIFY).</summary>
    public bool FromOtherInstance { get; init; }
}
