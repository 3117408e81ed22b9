using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookStudio.Data;
using WebhookStudio.Features.Items;
using WebhookStudio.Features.Sources;
using WebhookStudio.Tests.Infrastructure;
using WebhookStudio.Tests.Storage;

namespace WebhookStudio.Tests.Data;

/// <summary>Rows written by <see cref="RowWriter"/> read back through EF Core exactly as if SaveChanges had written them.</summary>
public abstract class RowWriterTests
{
    protected abstract IDbContextFactory<StudioDbContext> Contexts { get; }

    [Fact]
    public Task Inserted_rows_get_their_keys_and_read_back_with_every_value() => RoundTripAsync();

    [Fact]
    public Task Updates_set_only_the_named_columns_and_a_vanished_row_is_a_concurrency_error() => UpdatesAsync();

    [Fact]
    public async Task Writing_outside_a_transaction_is_refused()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            RowWriter.InsertAsync(db, [new Item { SourceId = 1, ExternalId = "x", Data = "{}" }], CancellationToken.None));
        Assert.Contains("transaction", error.Message, StringComparison.Ordinal);
    }

    protected async Task RoundTripAsync()
    {
        var sourceId = await NewSourceAsync();
        var at = new DateTime(2026, 11, 23, 17, 5, 6, 123, DateTimeKind.Utc).AddTicks(4560);
        var items = new[]
        {
            new Item { SourceId = sourceId, ExternalId = "820982911946154508", Title = "Ünïcødé ✓", Data = """{"id":820982911946154508,"n":1.10}""", CreatedAt = at, UpdatedAt = at, Version = 3 },
            new Item { SourceId = sourceId, ExternalId = "b", Title = null, Data = "{}", CreatedAt = at, UpdatedAt = at },
        };
        await using (var db = await Contexts.CreateDbContextAsync())
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await RowWriter.InsertAsync(db, items, CancellationToken.None);
            var change = new ItemChange { ItemId = items[0].Id, Kind = ChangeKind.Updated, Fields = "[]", At = at, Note = "from a test" };
            await RowWriter.InsertAsync(db, [change], CancellationToken.None);
            await transaction.CommitAsync();
        }

        Assert.All(items, item => Assert.True(item.Id > 0));
        Assert.NotEqual(items[0].Id, items[1].Id);
        await using var read = await Contexts.CreateDbContextAsync();
        var stored = await read.Items.AsNoTracking().Where(i => i.SourceId == sourceId).OrderBy(i => i.Id).ToListAsync();
        Assert.Equal(items.Select(i => (i.Id, i.ExternalId, i.Title, i.Data, i.Version)), stored.Select(i => (i.Id, i.ExternalId, i.Title, i.Data, i.Version)));
        // PostgreSQL keeps microseconds, SQLite the whole tick: either way the same instant, marked UTC.
        Assert.All(stored, i => Assert.Equal(DateTimeKind.Utc, i.CreatedAt.Kind));
        Assert.All(stored, i => Assert.True(Math.Abs((i.CreatedAt - at).Ticks) < 10));
        var storedChange = await read.ItemChanges.AsNoTracking().SingleAsync(c => c.ItemId == items[0].Id);
        Assert.Equal((ChangeKind.Updated, "from a test", (long?)null), (storedChange.Kind, storedChange.Note, storedChange.PayloadId));
        // Found by an EF query on the converted column (the enum is stored as its name).
        Assert.Equal(1, await read.ItemChanges.CountAsync(c => c.ItemId == items[0].Id && c.Kind == ChangeKind.Updated));
    }

    protected async Task UpdatesAsync()
    {
        var sourceId = await NewSourceAsync();
        var item = new Item { SourceId = sourceId, ExternalId = "u", Title = "before", Data = "{}", CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow };
        await using (var db = await Contexts.CreateDbContextAsync())
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await RowWriter.InsertAsync(db, [item], CancellationToken.None);
            await transaction.CommitAsync();
        }

        var changed = new Item { Id = item.Id, SourceId = sourceId, ExternalId = "not written", Title = "after", Data = """{"a":1}""", Version = 2 };
        await using (var db = await Contexts.CreateDbContextAsync())
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await RowWriter.UpdateAsync(db, [changed], [nameof(Item.Title), nameof(Item.Data), nameof(Item.Version)], CancellationToken.None);
            var gone = new Item { Id = item.Id + 1000, SourceId = sourceId, ExternalId = "gone", Data = "{}" };
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() =>
                RowWriter.UpdateAsync(db, [gone], [nameof(Item.Title)], CancellationToken.None));
            await transaction.CommitAsync();
        }

        await using var read = await Contexts.CreateDbContextAsync();
        var stored = await read.Items.AsNoTracking().SingleAsync(i => i.Id == item.Id);
        Assert.Equal(("u", "after", """{"a":1}""", 2), (stored.ExternalId, stored.Title, stored.Data, stored.Version));
    }

    private async Task<int> NewSourceAsync()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var source = new Source { Name = "Row writer", Token = Guid.NewGuid().ToString("N"), CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow };
        db.Sources.Add(source);
        await db.SaveChangesAsync();
        return source.Id;
    }
}

public sealed class RowWriterOnSqliteTests : RowWriterTests, IDisposable
{
    private readonly StudioFactory factory = new();

    protected override IDbContextFactory<StudioDbContext> Contexts => factory.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>();

    public void Dispose() => factory.Dispose();
}

public sealed class RowWriterOnPostgresTests(PostgresStudioFixture fixture) : IClassFixture<PostgresStudioFixture>
{
    private sealed class OnFixture(PostgresStudioFixture fixture) : RowWriterTests
    {
        protected override IDbContextFactory<StudioDbContext> Contexts => fixture.Factory.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>();

        public Task RoundTrip() => RoundTripAsync();

        public Task Updates() => UpdatesAsync();
    }

    [PostgresFact]
    public Task Inserted_rows_get_their_keys_and_read_back_with_every_value() => new OnFixture(fixture).RoundTrip();

    [PostgresFact]
    public Task Updates_set_only_the_named_columns_and_a_vanished_row_is_a_concurrency_error() => new OnFixture(fixture).Updates();
}
