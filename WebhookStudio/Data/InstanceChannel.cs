using Npgsql;

namespace WebhookStudio.Data;

/// <summary>
/// Short messages between instances that share a PostgreSQL database, through <c>LISTEN/NOTIFY</c>. A message sent
/// while a listener's connection is down is lost to it: use it for what may be missed (live views), never for work.
/// With SQLite there is one instance and no channel (<see cref="Available"/> is false).
/// </summary>
public sealed partial class InstanceChannel(StudioDatabase database, ILogger<InstanceChannel> logger)
{
    /// <summary>PostgreSQL refuses a notification payload of 8,000 bytes or more.</summary>
    public const int MaxMessageBytes = 8000;

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    public bool Available => database.IsShared;

    /// <summary>
    /// Hands every message on <paramref name="channel"/> to <paramref name="receive"/> until cancelled, reconnecting
    /// after failures (waiting 1 s, doubling up to 30 s); <paramref name="listening"/> runs each time it listens again.
    /// </summary>
    public async Task ListenAsync(string channel, Action<string> receive, Action listening, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(receive);
        ArgumentNullException.ThrowIfNull(listening);
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
                connection.Notification += (_, n) => receive(n.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                listening();
                retryDelay = TimeSpan.FromSeconds(1);
                while (true)
                    await connection.WaitAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogListenFailed(logger, ex, channel, retryDelay.TotalSeconds);
                await Task.Delay(retryDelay, stoppingToken);
                retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    /// <summary>A connection to send messages on <paramref name="channel"/> with; dispose it when the burst is sent.</summary>
    public async Task<Sender> OpenSenderAsync(string channel, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(database.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
            notify.Parameters.AddWithValue("channel", channel);
            notify.Parameters.AddWithValue("payload", "");
            return new Sender(connection, notify);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public sealed class Sender : IAsyncDisposable
    {
        private readonly NpgsqlConnection connection;
        private readonly NpgsqlCommand notify;

        internal Sender(NpgsqlConnection connection, NpgsqlCommand notify)
        {
            this.connection = connection;
            this.notify = notify;
        }

        public async Task SendAsync(string message, CancellationToken cancellationToken)
        {
            notify.Parameters["payload"].Value = message;
            await notify.ExecuteNonQueryAsync(cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            await notify.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening to other instances on {Channel} failed; retrying in {Seconds} s")]
    private static partial void LogListenFailed(ILogger logger, Exception ex, string channel, double seconds);
}
