namespace WebhookStudio.Features.Deliveries;

/// <summary>
/// A delivery that was created, attempted or settled, for pages showing the log; <see cref="DeliveryId"/> 0 stands
/// for many deliveries of the subscription (or of all, with <see cref="SubscriptionId"/> 0) at once.
/// </summary>
public sealed record DeliveryChanged(long DeliveryId, int SubscriptionId, DeliveryStatus Status);
