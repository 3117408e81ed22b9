using WebhookStudio.Features.Subscriptions;

namespace WebhookStudio.Features.Deliveries;

/// <summary>
/// When a subscription is deactivated: its attempts are counted in order, a success ends a run of failures, and a run
/// that is long enough (<see cref="DeliveryOptions.DeactivateAfterFailures"/> attempts, or every attempt failing for
/// <see cref="DeliveryOptions.DeactivateAfter"/>) or a 410 Gone deactivates it.
/// </summary>
public sealed class SubscriptionFailures(DeliveryOptions settings, DateTime now)
{
    private readonly Dictionary<int, (string Reason, Settlement Last)> toDeactivate = [];

    /// <summary>The subscriptions to deactivate, each with the reason in words and the attempt that decided it.</summary>
    public IReadOnlyDictionary<int, (string Reason, Settlement Last)> ToDeactivate => toDeactivate;

    /// <summary>Counts an attempt against its subscription (tracked: the counters are saved with the attempt).</summary>
    public void Count(Subscription subscription, Settlement attempt)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(attempt);
        if (attempt.Result.Succeeded)
        {
            subscription.ConsecutiveFailures = 0;
            subscription.FailingSince = null;
            toDeactivate.Remove(subscription.Id);
            return;
        }
        subscription.ConsecutiveFailures++;
        subscription.FailingSince ??= attempt.Result.At;
        if (subscription.Active && Reason(subscription, attempt) is { } reason)
            toDeactivate[subscription.Id] = (reason, attempt);
    }

    private string? Reason(Subscription subscription, Settlement last)
    {
        if (last.Gone)
            return "The receiver answered 410 Gone: it no longer wants these deliveries.";
        if (subscription.ConsecutiveFailures >= settings.DeactivateAfterFailures)
            return $"{subscription.ConsecutiveFailures} attempts in a row failed.";
        if (subscription.FailingSince is { } since && now - since >= settings.DeactivateAfter)
            return $"Every attempt failed for {Math.Round((now - since).TotalDays, 1)} days.";
        return null;
    }
}
