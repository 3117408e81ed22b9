using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace WebhookStudio.Features.Sources.Receiving;

/// <summary>One request the receiver refused: what it answered and why, and what the sender sent.</summary>
/// <param name="PayloadId">The payload kept as rejected (a failed signature), else null: the request left nothing stored.</param>
public sealed record RejectedAttempt(
    int SourceId, DateTime At, int Status, string Title, string? Reason, string? ContentType, string? RemoteAddress, string? UserAgent,
    long? PayloadId = null);

/// <summary>
/// The last refused requests of each source (415, 400, 413, 422, 429, 401, 503), so a user wondering why "nothing
/// arrived" sees that something did arrive and what was wrong with it. Only signature failures are also kept as
/// payloads; the others carry no payload worth storing.
/// Kept in memory on purpose: it is a debugging aid, not a record of state. Writing every refusal to SQLite would
/// let a misconfigured or hostile sender turn a cheap 415 into a database write (the receiver's one bottleneck),
/// and losing the list on restart costs nothing: the sender keeps sending and the list fills again.
/// Bounded per source, and sources are only those whose token is valid, so a scanner cannot grow it.
/// </summary>
public sealed partial class ReceiverRejections(ILogger<ReceiverRejections> logger)
{
    public const int PerSource = 20;

    private readonly ConcurrentDictionary<int, LinkedList<RejectedAttempt>> bySource = new();
    private ImmutableArray<Action<RejectedAttempt>> listeners = [];

    public void Record(RejectedAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var list = bySource.GetOrAdd(attempt.SourceId, _ => new LinkedList<RejectedAttempt>());
        lock (list)
        {
            list.AddFirst(attempt);
            while (list.Count > PerSource)
                list.RemoveLast();
        }
        foreach (var listener in listeners)
        {
            // A failing listener (a closed page) must not turn the sender's answer into a 500.
            try { listener(attempt); }
            catch (Exception ex) { LogListenerFailed(logger, ex); }
        }
    }

    /// <summary>The source's refused attempts, newest first.</summary>
    public IReadOnlyList<RejectedAttempt> For(int sourceId)
    {
        if (!bySource.TryGetValue(sourceId, out var list))
            return [];
        lock (list)
            return list.ToList();
    }

    /// <summary>Refusals of every source since <paramref name="since"/>, newest first.</summary>
    public IReadOnlyList<RejectedAttempt> Since(DateTime since)
    {
        var all = new List<RejectedAttempt>();
        foreach (var list in bySource.Values)
            lock (list)
                all.AddRange(list.TakeWhile(a => a.At >= since));
        return all.OrderByDescending(a => a.At).ToList();
    }

    public void Forget(int sourceId) => bySource.TryRemove(sourceId, out _);

    /// <summary>Calls <paramref name="listener"/> on every new refusal (on the receiver's thread: keep it short).</summary>
    public IDisposable Subscribe(Action<RejectedAttempt> listener)
    {
        ImmutableInterlocked.Update(ref listeners, l => l.Add(listener));
        return new Subscription(() => ImmutableInterlocked.Update(ref listeners, l => l.Remove(listener)));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A listener of refused receiver requests failed")]
    private static partial void LogListenerFailed(ILogger logger, Exception ex);

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
