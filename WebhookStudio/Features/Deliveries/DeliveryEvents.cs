using System.Collections.Immutable;
using WebhookStudio.Features.Sources;

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

    /// <summary>A page's live refresh over these events, coalesced like the source pages' (<see cref="LiveRefresh"/>).</summary>
    public LiveRefresh Refresh(Func<DeliveryChanged, bool> relevant, Func<Task> refresh, TimeSpan? interval = null) =>
        new(changed => Subscribe(changes => changes.Any(relevant) ? changed() : Task.CompletedTask), refresh, interval ?? TimeSpan.FromMilliseconds(500));

    [LoggerMessage(Level = LogLevel.Warning, Message = "A delivery listener failed")]
    private static partial void LogListenerFailed(ILogger logger, Exception ex);

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
