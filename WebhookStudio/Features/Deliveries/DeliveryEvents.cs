using System.Collections.Immutable;

namespace WebhookStudio.Features.Deliveries;

public sealed record DeliveryChanged(long DeliveryId, int SubscriptionId, DeliveryStatus Status);

/// <summary>
/// Announces delivery changes (new, attempted, settled) to pages showing the log. Listeners get the changes
/// of a short window together, so a page over a busy subscription redraws a few times a second, not per
/// delivery; a slow listener never holds up the engine.
/// </summary>
public sealed partial class DeliveryEvents(ILogger<DeliveryEvents> logger)
{
    private ImmutableArray<Func<IReadOnlyList<DeliveryChanged>, Task>> listeners = [];

    public IDisposable Subscribe(Func<IReadOnlyList<DeliveryChanged>, Task> listener)
    {
        ImmutableInterlocked.Update(ref listeners, l => l.Add(listener));
        return new Unsubscriber(() => ImmutableInterlocked.Update(ref listeners, l => l.Remove(listener)));
    }

    public void Publish(IReadOnlyList<DeliveryChanged> changes)
    {
        if (changes.Count == 0) return;
        foreach (var listener in listeners)
            _ = NotifyAsync(listener, changes);
    }

    private async Task NotifyAsync(Func<IReadOnlyList<DeliveryChanged>, Task> listener, IReadOnlyList<DeliveryChanged> changes)
    {
        try
        {
            await listener(changes);
        }
        catch (Exception ex)
        {
            LogListenerFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A delivery listener failed")]
    private static partial void LogListenerFailed(ILogger logger, Exception ex);

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}

/// <summary>A page's live refresh over <see cref="DeliveryEvents"/>: bursts become one refresh per interval, never overlapping.</summary>
public sealed class DeliveryLiveRefresh : IDisposable
{
    private readonly IDisposable subscription;
    private readonly Func<Task> refresh;
    private readonly TimeSpan interval;
    private int scheduled;
    private volatile bool disposed;

    public DeliveryLiveRefresh(DeliveryEvents events, Func<DeliveryChanged, bool> relevant, Func<Task> refresh, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        this.refresh = refresh;
        this.interval = interval ?? TimeSpan.FromMilliseconds(500);
        subscription = events.Subscribe(changes => changes.Any(relevant) ? RefreshSoonAsync() : Task.CompletedTask);
    }

    private async Task RefreshSoonAsync()
    {
        if (Interlocked.Exchange(ref scheduled, 1) == 1) return;
        await Task.Delay(interval);
        Volatile.Write(ref scheduled, 0);
        if (!disposed) await refresh();
    }

    public void Dispose()
    {
        disposed = true;
        subscription.Dispose();
    }
}
