using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookStudio.Data;
using WebhookStudio.Features.Sources;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Data;

/// <summary>What features write through <see cref="StudioWrites"/> commits whole, after the work, or not at all.</summary>
public sealed class StudioWritesTests(SharedStudio shared) : SharedStudioTests(shared)
{
    private StudioWrites Writes => Factory.Services.GetRequiredService<StudioWrites>();

    private IDbContextFactory<StudioDbContext> Contexts => Factory.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>();

    [Fact]
    public async Task Work_that_throws_commits_nothing_it_saved_or_updated()
    {
        var existing = NewSource("Kept");
        await Writes.AddAsync(existing, CancellationToken.None);
        var added = NewSource("Never");

        await Assert.ThrowsAsync<InvalidOperationException>(() => Writes.RunAsync(async db =>
        {
            db.Sources.Add(added);
            await db.SaveChangesAsync();
            await db.Sources.Where(s => s.Id == existing.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.Name, "Renamed"));
            throw new InvalidOperationException("the work refuses");
        }, CancellationToken.None));

        await using var db = await Contexts.CreateDbContextAsync();
        Assert.False(await db.Sources.AnyAsync(s => s.Name == "Never"));
        Assert.Equal("Kept", (await db.Sources.SingleAsync(s => s.Id == existing.Id)).Name);
    }

    [Fact]
    public async Task What_the_work_leaves_tracked_is_saved_and_its_answer_carries_the_new_ids()
    {
        var source = NewSource("Tracked");
        var answered = await Writes.RunAsync(db =>
        {
            db.Sources.Add(source);
            return Task.FromResult(source);
        }, CancellationToken.None);

        Assert.True(answered.Id > 0);
        await using var db = await Contexts.CreateDbContextAsync();
        Assert.Equal("Tracked", (await db.Sources.SingleAsync(s => s.Id == answered.Id)).Name);
    }

    private static Source NewSource(string name) =>
        new() { Name = name, Token = Guid.NewGuid().ToString("N"), CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow };
}
