using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebhookStudio.Data;

namespace WebhookStudio.Features.Bins;

/// <summary>
/// A recurring job: requests older than <c>Bins:RetentionDays</c> are deleted, and so are bins nobody has
/// changed or sent anything to within that time. A bin in use stays, with its recent requests.
/// </summary>
public sealed partial class BinRetention(
    IDbContextFactory<StudioDbContext> contexts,
    IOptions<BinOptions> options,
    TimeProvider clock,
    ILogger<BinRetention> logger)
{
    public const string JobId = "bin-retention";

    public async Task<(int Bins, int Requests)> PurgeAsync()
    {
        await using var db = await contexts.CreateDbContextAsync();
        var cutoff = clock.GetUtcNow().UtcDateTime.AddDays(-options.Value.RetentionDays);
        var requests = await db.BinRequests.Where(r => r.ReceivedAt < cutoff).ExecuteDeleteAsync();
        var bins = await db.RequestBins
            .Where(b => b.UpdatedAt < cutoff && !db.BinRequests.Any(r => r.BinId == b.Id))
            .ExecuteDeleteAsync();
        if (bins + requests > 0)
            LogPurged(logger, bins, requests);
        return (bins, requests);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Bins} request bins and {Requests} bin requests past their retention")]
    private static partial void LogPurged(ILogger logger, int bins, int requests);
}
