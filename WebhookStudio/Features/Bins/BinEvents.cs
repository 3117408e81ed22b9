using System.Collections.Immutable;

namespace WebhookStudio.Features.Bins;

public enum BinEventKind { RequestReceived, RequestsCleared, BinChanged, BinDeleted }

public sealed record BinEvent(BinEventKind Kind, int BinId, long? RequestId = null);

/// <summary>
/// Announces what happens to bins, for the bins pages' live updates. Separate from <c>StudioEvents</c>, whose
/// listeners (the outbound side among them) are about sources and items: a request landing in a bin is not an
/// activity of any item and must not reach them. Publishing never waits for listeners.
/// </summary>
public sealed partial class BinEvents(ILogger<BinEvents> logger)
{
    private ImmutableArray<Func<BinEvent, Task>> listeners = [];

    public IDisposable Subscribe(Func<BinEvent, Task> listener)
    {
        ImmutableInterlocked.Update(ref listeners, l => l.Add(listener));
        return new Subscription(() => ImmutableInterlocked.Update(ref listeners, l => l.Remove(listener)));
    }

    public void Publish(BinEvent e)
    {
        foreach (var listener in listeners)
            _ = NotifyAsync(listener, e);
    }

    private async Task NotifyAsync(Func<BinEvent, Task> listener, BinEvent e)
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "A bin listener failed on {Kind}")]
    private static partial void LogListenerFailed(ILogger logger, Exception ex, BinEventKind kind);

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
