using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WebhookStudio.Data;

/// <summary>
/// Whether the database took the last write the receiver (or a bin) tried: a full disk or a read-only file lets
/// reads pass, so only a failed write shows it. The next successful write clears it.
/// </summary>
public sealed class DatabaseWriteHealth(TimeProvider clock)
{
    public sealed record Failure(DateTimeOffset At, string Message);

    private Failure? lastFailure;

    public Failure? LastFailure => Volatile.Read(ref lastFailure);

    public void Failed(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Volatile.Write(ref lastFailure, new Failure(clock.GetUtcNow(), exception.GetBaseException().Message));
    }

    public void Succeeded() => Volatile.Write(ref lastFailure, null);
}

/// <summary>
/// <c>/health</c>'s "database-writes" entry: Unhealthy while the last write failed, or (SQLite) while the data
/// directory's disk has less than 1 MiB free; Degraded below 64 MiB free.
/// </summary>
public sealed class DatabaseWritableHealthCheck(DatabaseWriteHealth writes, StudioDatabase database, DataDirectory directory) : IHealthCheck
{
    private const long FullBelow = 1024 * 1024;
    private const long LowBelow = 64 * 1024 * 1024;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (writes.LastFailure is { } failure)
            return Task.FromResult(HealthCheckResult.Unhealthy($"The database could not be written at {failure.At:u}: {failure.Message}"));
        if (!database.IsShared && FreeBytes() is { } free)
        {
            if (free < FullBelow)
                return Task.FromResult(HealthCheckResult.Unhealthy($"The disk of {directory.Path} is full ({free:N0} bytes free): the database cannot be written."));
            if (free < LowBelow)
                return Task.FromResult(HealthCheckResult.Degraded($"The disk of {directory.Path} is almost full ({free / 1024:N0} KiB free)."));
        }
        return Task.FromResult(HealthCheckResult.Healthy("The database took its last write."));
    }

    private long? FreeBytes()
    {
        try
        {
            return new DriveInfo(directory.Path).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
