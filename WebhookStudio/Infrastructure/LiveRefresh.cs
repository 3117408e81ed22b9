namespace WebhookStudio.Infrastructure;

/// <summary>
/// Turns events into page refreshes, coalescing bursts: a page watching a busy source redraws a couple
/// of times a second instead of once per payload, and a refresh never overlaps the previous one.
/// </summary>
public sealed class LiveRefresh : IDisposable
{
    private readonly IDisposable subscription;
    private readonly Func<Task> refresh;
    private readonly TimeSpan interval;
    private int scheduled;
    private volatile bool disposed;

    /// <summary>
    /// <paramref name="subscribe"/> subscribes to an event hub and calls the callback it is given for each relevant
    /// event, answering the subscription (<see cref="EventHub{TEvent}.Refresh"/> is the usual way in).
    /// </summary>
    internal LiveRefresh(Func<Func<Task>, IDisposable> subscribe, Func<Task> refresh, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(subscribe);
        this.refresh = refresh;
        this.interval = interval ?? TimeSpan.FromMilliseconds(400);
        subscription = subscribe(RefreshSoonAsync);
    }

    private async Task RefreshSoonAsync()
    {
        if (Interlocked.Exchange(ref scheduled, 1) == 1) return;
        await Task.Delay(interval);
        // Cleared before refreshing: an event arriving during the refresh schedules the next one.
        Volatile.Write(ref scheduled, 0);
        if (!disposed) await refresh();
    }

    public void Dispose()
    {
        disposed = true;
        subscription.Dispose();
    }
}
