using Microsoft.EntityFrameworkCore;

namespace WebhookStudio.Data;

/// <summary>
/// How features write what people do (a retry, a bin request, a tester entry): a unit of work on a fresh context,
/// in one transaction, in the database's write turn (<see cref="DatabaseWriteGate"/>), so it never collides inside
/// SQLite with the pipeline's writers and a check made inside it still holds when it commits. The work says what to
/// read and change; what it leaves tracked is saved before the commit. Keep network I/O out of it.
/// </summary>
public sealed class StudioWrites(IDbContextFactory<StudioDbContext> contexts, DatabaseWriteGate writeGate)
{
    /// <returns>What <paramref name="work"/> answered, once committed (nothing is committed when it throws).</returns>
    public async Task<T> RunAsync<T>(Func<StudioDbContext, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        using (await writeGate.EnterAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var result = await work(db);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
    }

    public Task RunAsync(Func<StudioDbContext, Task> work, CancellationToken cancellationToken) =>
        RunAsync(async db => { await work(db); return true; }, cancellationToken);

    /// <summary>Inserts one row; its generated id is set when this completes.</summary>
    public Task AddAsync<TEntity>(TEntity entity, CancellationToken cancellationToken) where TEntity : class =>
        RunAsync(db => { db.Add(entity); return Task.CompletedTask; }, cancellationToken);
}
