namespace WebhookStudio.Features.Bins;

public enum BinEventKind { RequestReceived, RequestsCleared, BinChanged, BinDeleted }

/// <summary>
/// What happened to a bin, for the bins pages' live updates. A hub of its own, apart from studio events, whose
/// listeners (the outbound side among them) are about sources and items: a request landing in a bin is not an
/// activity of any item and must not reach them.
/// </summary>
public sealed record BinEvent(BinEventKind Kind, int BinId, long? RequestId = null);
