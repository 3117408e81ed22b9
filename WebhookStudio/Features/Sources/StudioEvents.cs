using System.Collections.Immutable;

namespace WebhookStudio.Features.Sources;

public enum StudioEventKind { PayloadReceived, PayloadProcessed, ItemCreated, ItemUpdated, ItemDeleted }

public sealed record StudioEvent(StudioEventKind Kind, int SourceId, long? PayloadId = null, long? ItemId = null, long? ChangeId = null);

/// <summary>
/// The in-process hub through which the pipeline announces activities: the UI's live updates and the
/// outbound side listen here. Publishing never waits for listeners and a failing listener hurts no one else.
/// </summary>
public sealed partial class StudioEvents(ILogger<StudioEvents> logger)
{
    private ImmutableArray<Func<StudioEvent, Task>> listeners = [];

    public IDisposable Subscribe(Func<StudioEvent, Task> listener)
    {
        ImmutableInterlocked.Update(ref listeners, l => l.Add(listener));
        return new Subscription(() => ImmutableInterlocked.Update(ref listeners, l => l.Remove(listener)));
    }

    public void Publish(StudioEvent e)
    {
        foreach (var listener in listeners)
            _ = NotifyAsync(listener, e);
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

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
