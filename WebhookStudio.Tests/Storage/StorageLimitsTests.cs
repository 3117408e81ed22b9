using System.Net;
using WebhookStudio.Features.Sources;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Storage;

/// <summary>
/// Limits of the stored columns are checked before storing, with a clear answer, so both providers behave alike
/// (SQLite would store anything; PostgreSQL would fail the whole group commit or processing batch).
/// </summary>
public sealed class StorageLimitsTests(SharedStudio shared) : ApiTestBase(shared)
{
    [Fact]
    public async Task A_content_type_longer_than_its_column_is_400()
    {
        var source = await Api.SetUpSourceAsync("Limits", patch: new { idPath = "id", liveStream = true });
        var response = await Api.PostHookAsync(source.Token, """{"id":"a"}""", "application/json; x=" + new string('y', 200));
        var problem = await ApiTestClient.ExpectProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("200 characters", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_id_longer_than_its_column_skips_the_entity_with_the_reason()
    {
        var source = await Api.SetUpSourceAsync("Long ids", patch: new { idPath = "id", liveStream = true });
        await Api.PostHookAsync(source.Token, $$"""[{"id":"{{new string('x', 501)}}"},{"id":"ok"}]""");
        var payload = (await Api.SettledPayloadsAsync(source.Id)).Single()!;
        Assert.Equal("processed", (string)payload["outcome"]!);
        Assert.Contains("at most 500", (string)payload["reason"]!, StringComparison.Ordinal);
        Assert.Equal("ok", (string)(await Api.ItemsAsync(source.Id)).Single()!["externalId"]!);
    }

    [Fact]
    public void Relayed_events_keep_their_kind_and_ids()
    {
        StudioEvent[] sent =
        [
            new(StudioEventKind.ItemUpdated, 7, 123_456_789_012, 42, 99),
            new(StudioEventKind.PayloadReceived, 8, 5),
        ];
        var (origin, received) = StudioEventRelay.Decode(StudioEventRelay.Encode("instance-a", sent));
        Assert.Equal("instance-a", origin);
        Assert.Equal(sent, received);
        Assert.True(StudioEventRelay.Encode("0123456789abcdef", Enumerable.Repeat(new StudioEvent(StudioEventKind.ItemDeleted, int.MaxValue, long.MaxValue, long.MaxValue, long.MaxValue), 80)).Length < 8000,
            "80 events of the largest size fit one NOTIFY payload");
    }
}
