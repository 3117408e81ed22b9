using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using WebhookStudio.Data;
using WebhookStudio.Features.Sources.Receiving;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Sources;

/// <summary>
/// With several instances on one PostgreSQL database, passes each instance's studio events to the others through
/// the <see cref="InstanceChannel"/>, so a page open on one instance updates live for work done on another.
/// Events are batched into small notifications (kind and ids only, tagged with this instance's id so they are not
/// taken back in). Notifications sent while the listening connection is down are lost: live views then miss a
/// refresh, nothing else depends on them. Does nothing with SQLite.
/// </summary>
public sealed partial class StudioEventRelay(
    InstanceChannel instances,
    EventHub<StudioEvent> events,
    PayloadSignal signal,
    ILogger<StudioEventRelay> logger) : BackgroundService
{
    public const string ChannelName = "webhook_studio_events";

    /// <summary>Keeps a notification well under <see cref="InstanceChannel.MaxMessageBytes"/> (an event takes at most ~75 bytes).</summary>
    private const int EventsPerNotification = 80;

    private readonly Channel<StudioEvent> outbox = Channel.CreateBounded<StudioEvent>(
        new BoundedChannelOptions(50_000) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest });

    private readonly TaskCompletionSource listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Tells this instance's events apart from the others' on the shared channel.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N")[..16];

    /// <summary>Completes once this instance first listens, so it hears every event sent after that.</summary>
    public Task Listening => listening.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!instances.Available)
            return;
        // Only this instance's own events go out; relayed ones reach AllInstances listeners only, so none echoes back.
        using var subscription = events.Subscribe(e =>
        {
            outbox.Writer.TryWrite(e);
            return Task.CompletedTask;
        });
        await Task.WhenAll(instances.ListenAsync(ChannelName, Receive, () => listening.TrySetResult(), stoppingToken), SendAsync(stoppingToken));
    }

    private async Task SendAsync(CancellationToken stoppingToken)
    {
        var batch = new List<StudioEvent>(EventsPerNotification);
        while (await outbox.Reader.WaitToReadAsync(stoppingToken))
        {
            // Whatever piled up while the previous notification was sent goes out together.
            try
            {
                await using var sender = await instances.OpenSenderAsync(ChannelName, stoppingToken);
                while (outbox.Reader.TryRead(out var first))
                {
                    batch.Add(first);
                    while (batch.Count < EventsPerNotification && outbox.Reader.TryRead(out var next))
                        batch.Add(next);
                    await sender.SendAsync(Encode(InstanceId, batch), stoppingToken);
                    batch.Clear();
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogSendFailed(logger, ex, batch.Count);
                batch.Clear();
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    private void Receive(string payload)
    {
        try
        {
            var (origin, received) = Decode(payload);
            if (origin == InstanceId)
                return;
            foreach (var e in received)
                events.PublishFromOtherInstance(e with { FromOtherInstance = true });
            // Payloads another instance stored are this instance's work too (whoever claims the source first).
            if (received.Any(e => e.Kind == StudioEventKind.PayloadReceived))
                signal.Notify();
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            LogBadNotification(logger, ex);
        }
    }

    /// <summary><c>{"o":"instance","e":[[kind,source,payload,item,change],…]}</c>, ids null when absent.</summary>
    internal static string Encode(string origin, IEnumerable<StudioEvent> batch) =>
        JsonSerializer.Serialize(new
        {
            o = origin,
            e = batch.Select(e => new long?[] { (long)e.Kind, e.SourceId, e.PayloadId, e.ItemId, e.ChangeId }),
        });

    internal static (string Origin, List<StudioEvent> Events) Decode(string payload)
    {
        using var document = JsonDocument.Parse(payload);
        var root = document.RootElement;
        var list = new List<StudioEvent>();
        foreach (var e in root.GetProperty("e").EnumerateArray())
        {
            long? At(int i) => e[i].ValueKind == JsonValueKind.Null ? null : e[i].GetInt64();
            var kind = (StudioEventKind)e[0].GetInt32();
            if (!Enum.IsDefined(kind))
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"Unknown event kind {e[0].GetInt32()}."));
            list.Add(new StudioEvent(kind, e[1].GetInt32(), At(2), At(3), At(4)));
        }
        return (root.GetProperty("o").GetString() ?? "", list);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not pass {Count} events to other instances; their live views miss them")]
    private static partial void LogSendFailed(ILogger logger, Exception ex, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored an unreadable notification from another instance")]
    private static partial void LogBadNotification(ILogger logger, Exception ex);
}
