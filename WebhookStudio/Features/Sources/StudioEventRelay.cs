using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Npgsql;
using WebhookStudio.Data;
using WebhookStudio.Features.Sources.Receiving;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Sources;

/// <summary>
/// With several instances on one PostgreSQL database, passes each instance's studio events to the
/// others through <c>LISTEN/NOTIFY</c>, so a page open on one instance updates live for work done on another.
/// Events are batched into small notifications (kind and ids only, tagged with this instance's id so they are not
/// taken back in). Notifications sent while the listening connection is down are lost: live views then miss a
/// refresh, nothing else depends on them. It reconnects after failures. Does nothing with SQLite.
/// </summary>
public sealed partial class StudioEventRelay(
    StudioDatabase database,
    EventHub<StudioEvent> events,
    PayloadSignal signal,
    ILogger<StudioEventRelay> logger) : BackgroundService
{
    public const string ChannelName = "webhook_studio_events";

    /// <summary>Keeps a notification well under PostgreSQL's 8,000-byte limit (an event takes at most ~75 bytes).</summary>
    private const int EventsPerNotification = 80;

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    private readonly Channel<StudioEvent> outbox = Channel.CreateBounded<StudioEvent>(
        new BoundedChannelOptions(50_000) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest });

    private readonly TaskCompletionSource listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Tells this instance's events apart from the others' on the shared channel.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N")[..16];

    /// <summary>Completes once this instance first listens, so it hears every event sent after that.</summary>
    public Task Listening => listening.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!database.IsShared)
            return;
        // Only this instance's own events go out; relayed ones reach AllInstances listeners only, so none echoes back.
        using var subscription = events.Subscribe(e =>
        {
            outbox.Writer.TryWrite(e);
            return Task.CompletedTask;
        });
        await Task.WhenAll(ListenAsync(stoppingToken), SendAsync(stoppingToken));
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            // A silently dropped connection would otherwise wait forever; keepalives notice it and we reconnect.
            KeepAlive = 30,
            ApplicationName = "webhook-studio-events",
        }.ToString();
        var retryDelay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, n) => Receive(n.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {ChannelName}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                listening.TrySetResult();
                retryDelay = TimeSpan.FromSeconds(1);
                while (true)
                    await connection.WaitAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogListenFailed(logger, ex, retryDelay.TotalSeconds);
                await Task.Delay(retryDelay, stoppingToken);
                retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    private async Task SendAsync(CancellationToken stoppingToken)
    {
        var batch = new List<StudioEvent>(EventsPerNotification);
        while (await outbox.Reader.WaitToReadAsync(stoppingToken))
        {
            // Whatever piled up while the previous notification was sent goes out together.
            try
            {
                await using var connection = new NpgsqlConnection(database.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
                notify.Parameters.AddWithValue("channel", ChannelName);
                var payload = notify.Parameters.AddWithValue("payload", "");
                while (outbox.Reader.TryRead(out var first))
                {
                    batch.Add(first);
                    while (batch.Count < EventsPerNotification && outbox.Reader.TryRead(out var next))
                        batch.Add(next);
                    payload.Value = Encode(InstanceId, batch);
                    await notify.ExecuteNonQueryAsync(stoppingToken);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for other instances' events failed; retrying in {Seconds} s")]
    private static partial void LogListenFailed(ILogger logger, Exception ex, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not pass {Count} events to other instances; their live views miss them")]
    private static partial void LogSendFailed(ILogger logger, Exception ex, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored an unreadable notification from another instance")]
    private static partial void LogBadNotification(ILogger logger, Exception ex);
}
