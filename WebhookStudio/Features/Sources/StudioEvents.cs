using System.Collections.Immutable;

namespace WebhookStudio.Features.Sources;

public enum StudioEventKind { PayloadReceived, PayloadProcessed, ItemCreated, ItemUpdated, ItemDeleted }

public sealed record StudioEvent(StudioEventKind Kind, int SourceId, long? PayloadId = null, long? ItemId = null, long? ChangeId = null)
{
    /// <summary>True when another instance on the same database did this (relayed by PostgreSQL NOTIFY).</summary>
    public bool FromOtherInstance { get; init; }
}

/// <summary>Which events a listener hears.</summary>
public enum EventScope
{
    /// <summary>Only what this instance did: for listeners that start work, so two instances never both do it.</summary>
    ThisInstance,

    /// <summary>Also what other instances on the same database did: for live views, so a user sees every change.</summary>
    AllInstances,
}

/// <summary>
/// The in-process hub through which the pipeline announces activities: the UI's live updates and the
/// outbound side listen here. Publishing never waits for listeners and a failing listener hurts no one else.
/// With several instances on one PostgreSQL database, <c>StudioEventRelay</c> passes each instance's events
/// to the others, where they reach the <see cref="EventScope.AllInstances"/> listeners.
/// </summary>
public sealed partial class StudioEvents(ILogger<StudioEvents> logger)
{
    private ImmutableArray<Listener> listeners = [];

    public IDisposable Subscribe(Func<StudioEvent, Task> listener, EventScope scope = EventScope.ThisInstance)
    {
        var entry = new Listener(listener, scope);
        ImmutableInterlocked.Update(ref listeners, l => l.Add(entry));
        return new Subscription(() => ImmutableInterlocked.Update(ref listeners, l => l.Remove(entry)));
    }

    /// <summary>Announces something this instance did.</summary>
    public void Publish(StudioEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        foreach (var listener in listeners)
            _ = NotifyAsync(listener.Handle, e);
    }

    /// <summary>Announces what another instance did, to the listeners that asked for it.</summary>
    public void PublishFromOtherInstance(StudioEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var relayed = e with { FromOtherInstance = true };
        foreach (var listener in listeners)
            if (listener.Scope == EventScope.AllInstances)
                _ = NotifyAsync(listener.Handle, relayed);
    }

    private async Task NotifyAsync(Func<StudioEvent, Task> listener, StudioEvent e)
    {
        try
        {
            await listener(e);
        }
        catch (Exception ex)
        {
            LogListenerFailed(logger, ex, e.Kind);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A listener failed on {Kind}")]
    private static partial void LogListenerFailed(ILogger logger, Exception ex, StudioEventKind kind);

    // A class, so removing one subscription never removes another that registered the same delegate.
    private sealed class Listener(Func<StudioEvent, Task> handle, EventScope scope)
    {
        public Func<StudioEvent, Task> Handle { get; } = handle;
        public EventScope Scope { get; } = scope;
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
