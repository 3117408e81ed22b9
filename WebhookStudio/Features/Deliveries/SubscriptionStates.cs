using Microsoft.EntityFrameworkCore;
using WebhookStudio.Data;
using WebhookStudio.Features.Notifications;
using WebhookStudio.Features.Outbound;
using WebhookStudio.Features.Subscriptions;

namespace WebhookStudio.Features.Deliveries;

/// <summary>Deactivation, shared by the engine (automatic) and the API/UI (by hand): one wording, one effect.</summary>
public static class SubscriptionStates
{
    /// <summary>
    /// Stops the subscription, turns its waiting deliveries into buffered ones (kept for replay), and, when it
    /// was the receiver's failures that stopped it, leaves a notification with the last error in plain words.
    /// Runs inside the caller's transaction; the caller saves.
    /// </summary>
    public static async Task DeactivateAsync(StudioDbContext db, Subscription subscription, string reason, SendResult? lastFailure,
                                             DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(subscription);
        subscription.Active = false;
        subscription.DeactivationReason = reason;
        subscription.DeactivatedAt = now;
        subscription.UpdatedAt = now;
        await db.Deliveries.Where(d => d.SubscriptionId == subscription.Id && d.Status == DeliveryStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Buffered).SetProperty(d => d.NextAttemptAt, (DateTime?)null), cancellationToken);
        if (lastFailure is null)
            return;

        var host = Uri.TryCreate(lastFailure.Request.Url, UriKind.Absolute, out var url) ? url.Host : subscription.Url;
        var since = subscription.FailingSince ?? lastFailure.At;
        db.Notifications.Add(new Notification
        {
            Kind = NotificationKind.SubscriptionDeactivated,
            SubscriptionId = subscription.Id,
            Message = $"Deliveries to {host} failed since {since:yyyy-MM-dd HH:mm} UTC: {lastFailure.Error} "
                      + $"\"{subscription.Name}\" was deactivated: {reason} New activities are buffered until you reactivate it.",
            Link = $"/deliveries?subscriptionId={subscription.Id}",
            CreatedAt = now,
        });
    }
}
