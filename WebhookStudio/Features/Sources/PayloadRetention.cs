using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebhookStudio.Data;

namespace WebhookStudio.Features.Sources;

/// <summary>A recurring job: payloads older than the retention (global, or the source's own) are deleted; items stay.</summary>
public sealed partial class PayloadRetention(
    IDbContextFactory<StudioDbContext> contexts,
    IOptions<ReceiverOptions> options,
    TimeProvider clock,
    ILogger<PayloadRetention> logger)
{
    public const string JobId = "payload-retention";

    public async Task<int> PurgeAsync()
    {
        await using var db = await contexts.CreateDbContextAsync();
        var now = clock.GetUtcNow().UtcDateTime;
        var defaultCutoff = now.AddDays(-options.Value.RetentionDays);
        var overrides = await db.Sources.Where(s => s.RetentionDays != null).Select(s => new { s.Id, s.RetentionDays }).ToListAsync();
        var overridden = overrides.Select(o => o.Id).ToList();

        // Pending payloads are never purged: they have not had their outcome yet.
        var purged = await db.Payloads
            .Where(p => p.ReceivedAt < defaultCutoff && p.Outcome != PayloadOutcome.Pending && !overridden.Contains(p.SourceId))
            .ExecuteDeleteAsync();
        foreach (var o in overrides)
        {
            var cutoff = now.AddDays(-o.RetentionDays!.Value);
            purged += await db.Payloads
                .Where(p => p.SourceId == o.Id && p.ReceivedAt < cutoff && p.Outcome != PayloadOutcome.Pending)
                .ExecuteDeleteAsync();
        }
        if (purged > 0)
            LogPurged(logger, purged);
        return purged;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} payloads past their retention")]
    private static partial void LogPurged(ILogger logger, int count);
}
