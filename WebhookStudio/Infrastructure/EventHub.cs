using System.Collections.Immutable;

namespace WebhookStudio.Infrastructure;

/// <summary>Which events a listener hears.</summary>
public enum EventScope
{
    /// <summary>Only what this instance did: for listeners that start work, so two instances never both do it.</summary>
    ThisInstance,

    /// <summary>Also what other instances on the same database did: for live views, so a user sees every change.</summary>
    AllInstances,
}

/// <summary>
/// An in-process hub through which a feature announces what happened, one hub per event type (studio, bin and
/// delivery events). Publishing never waits for listeners and a failing listener hurts no one else. Events another
/// instance relays (studio events, through <c>StudioEventRelay</c>) reach only the
/// <see cref="EventScope.AllInstances"/> listeners.
/// </summary>
public sealed partial class EventHub<TEvent>(ILogger<EventHub<TEvent>> logger)
{
    private ImmutableArray<Listener> listeners = [];

    public IDisposable Subscribe(Func<TEvent, Task> listener, EventScope scope = EventScope.ThisInstance)
    {
        var entry = new Listener(listener, scope);
        ImmutableInterlocked.Update(ref listeners, l => l.Add(entry));
        return new Subscription(() => ImmutableInterlocked.Update(ref listeners, l => l.Remove(entry)));
    }

    /// <summary>Announces something this instance did.</summary>
    public void Publish(TEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        foreach (var listener in listeners)
            _ = NotifyAsync(listener.Handle, e);
    }

    /// <summary>Announces several things this instance did together: one hand-off per listener, not per event.</summary>
    public void Publish(IReadOnlyList<TEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0) return;
        foreach (var listener in listeners)
            _ = NotifyAsync(listener.Handle, events);
    }

    /// <summary>Announces what another instance did, to the listeners that asked for it.</summary>
    public void PublishFromOtherInstance(TEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        foreach (var listener in listeners)
            if (listener.Scope == EventScope.AllInstances)
                _ = NotifyAsync(listener.Handle, e);
    }

    /// <summary>A page's live refresh over the events <paramref name="relevant"/> picks, from every instance.</summary>
    public LiveRefresh Refresh(Func<TEvent, bool> relevant, Func<Task> refresh, TimeSpan? interval = null) =>
        new(changed => Subscribe(e => relevant(e) ? changed() : Task.CompletedTask, EventScope.AllInstances), refresh, interval);

    private async Task NotifyAsync(Func<TEvent, Task> listener, TEvent e)
    {
        try
        {
            await listener(e);
        }
        catch (Exception ex)
        {
            LogListenerFailed(logger, ex, e);
        }
    }

    private async Task NotifyAsync(Func<TEvent, Task> listener, IReadOnlyList<TEvent> events)
    {
        foreach (var e in events)
            await NotifyAsync(listener, e);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A listener failed on {Event}")]
    private static partial void LogListenerFailed(ILogger logger, Exception ex, TEvent @event);

    // A class, so removing one subscription never removes another that registered the same delegate.
    private sealed class Listener(Func<TEvent, Task> handle, EventScope scope)
    {
        public Func<TEvent, Task> Handle { get; } = handle;
        public EventScope Scope { get; } = scope;
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
