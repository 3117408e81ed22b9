using Microsoft.EntityFrameworkCore;
using WebhookStudio.Features.Sources;

namespace WebhookStudio.Data;

/// <summary>
/// Which pending payloads the payload processor takes next: the oldest ones, and on a database shared by several
/// instances only those of sources this instance claimed (<see cref="WorkClaim"/>).
/// </summary>
internal static class PendingPayloads
{
    /// <summary>How far ahead in the queue an instance looks for sources no other instance is processing.</summary>
    private const int CandidateWindow = 512;

    public static async Task<List<ReceivedPayload>> TakeAsync(StudioDbContext db, WorkClaim claim, int batchSize, CancellationToken cancellationToken)
    {
        // Not tracked: the processor writes its outcomes with RowWriter.
        var pending = db.Payloads.AsNoTracking().Where(p => p.Outcome == PayloadOutcome.Pending);
        if (!claim.IsShared)
            return await pending.OrderBy(p => p.Id).Take(batchSize).ToListAsync(cancellationToken);

        // One instance per source at a time: two instances taking alternate payloads of one source could commit
        // a later change to an item before an earlier one. Sources are tried oldest payload first, until the
        // claimed ones hold a batch, so a busy source does not keep the others waiting longer than needed.
        var queued = await pending.OrderBy(p => p.Id).Take(CandidateWindow).Select(p => p.SourceId).ToListAsync(cancellationToken);
        var claimed = new List<int>();
        var covered = 0;
        foreach (var source in queued.CountBy(id => id))
        {
            if (!await claim.TryLockAsync(WorkLock.PayloadSource, source.Key, cancellationToken))
                continue;
            claimed.Add(source.Key);
            covered += source.Value;
            if (covered >= batchSize)
                break;
        }
        if (claimed.Count == 0)
            return [];

        // Read again now that the sources are ours: what another instance committed before releasing them is
        // visible to this statement, so nothing it processed is taken twice.
        return await pending.Where(p => claimed.Contains(p.SourceId)).OrderBy(p => p.Id).Take(batchSize).ToListAsync(cancellationToken);
    }
}
