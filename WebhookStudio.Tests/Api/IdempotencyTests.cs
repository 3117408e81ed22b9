using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using WebhookStudio.Api.Idempotency;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Api;

public sealed class IdempotencyTests(SharedStudio shared) : ApiTestBase(shared)
{
    private const string Sources = ApiTestClient.V1 + "/sources";

    private Task<HttpResponseMessage> PostAsync(ApiTestClient client, string path, object body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (key is not null)
            request.Headers.Add(IdempotencyFilter.HeaderName, key);
        return client.Http.SendAsync(request);
    }

    private async Task<int> CountAsync(string path) =>
        (await ApiTestClient.ExpectAsync(await Api.Http.GetAsync(path), HttpStatusCode.OK)).GetProperty("total").GetInt32();

    [Theory]
    [InlineData("/sources", """{"name":"Orders"}""")]
    [InlineData("/bins", """{"name":"Orders bin"}""")]
    [InlineData("/api-keys", """{"name":"CRM","role":"editor"}""")]
    [InlineData("/subscriptions", """{"app":"crm","event":"item.created","url":"https://crm.example.com/hooks/orders"}""")]
    [InlineData("/connectors", """{"name":"CRM token","kind":"bearer","secret":"t0ken"}""")]
    public async Task The_same_key_answers_the_first_result_again_without_creating_twice(string path, string json)
    {
        var body = JsonDocument.Parse(json).RootElement;
        var before = await CountAsync(ApiTestClient.V1 + path);

        var first = await PostAsync(Api, ApiTestClient.V1 + path, body, "order-7f3a");
        var again = await PostAsync(Api, ApiTestClient.V1 + path, body, "order-7f3a");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.Equal("application/json", again.Content.Headers.ContentType?.MediaType);
        Assert.False(first.Headers.Contains(IdempotencyFilter.ReplayedHeader));
        Assert.Equal("true", again.Headers.GetValues(IdempotencyFilter.ReplayedHeader).Single());
        Assert.Equal(before + 1, await CountAsync(ApiTestClient.V1 + path));
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_refused_with_422()
    {
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(Api, Sources, new { name = "First" }, "k1")).StatusCode);

        var problem = await ApiTestClient.ExpectProblemAsync(await PostAsync(Api, Sources, new { name = "Second" }, "k1"), HttpStatusCode.UnprocessableEntity);

        Assert.Contains("different request", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync(Sources));
    }

    [Fact]
    public async Task Concurrent_duplicates_create_once_and_all_get_the_same_answer()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostAsync(Api, Sources, new { name = "Race" }, "race-key")));

        Assert.Equal(1, await CountAsync(Sources));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
        var bodies = await Task.WhenAll(answers.Select(a => a.Content.ReadAsStringAsync()));
        Assert.Single(bodies.Distinct());
    }

    [Fact]
    public async Task Keys_belong_to_one_caller_and_requests_without_a_key_are_not_remembered()
    {
        var other = await ApiTestClient.ForRoleAsync(Factory, "Editor");
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(Api, Sources, new { name = "Mine" }, "shared")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(other, Sources, new { name = "Mine" }, "shared")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(Api, Sources, new { name = "No key" }, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(Api, Sources, new { name = "No key" }, null)).StatusCode);

        Assert.Equal(4, await CountAsync(Sources));
    }

    [Fact]
    public async Task A_refused_request_does_not_use_up_its_key()
    {
        await ApiTestClient.ExpectValidationErrorAsync(await PostAsync(Api, Sources, new { name = "" }, "fix-me"), "name");

        var corrected = await PostAsync(Api, Sources, new { name = "Fixed" }, "fix-me");

        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
    }

    [Fact]
    public async Task A_key_longer_than_255_characters_is_refused()
    {
        await ApiTestClient.ExpectValidationErrorAsync(await PostAsync(Api, Sources, new { name = "Long" }, new string('k', 256)), IdempotencyFilter.HeaderName);
    }

    [Fact]
    public async Task Keys_are_forgotten_after_24_hours_and_purged()
    {
        var first = await ApiTestClient.ExpectAsync(await PostAsync(Api, Sources, new { name = "Daily" }, "daily"), HttpStatusCode.Created);
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(Factory.DataDirectory, "studio.db")}"))
        {
            await connection.OpenAsync();
            await using var age = connection.CreateCommand();
            age.CommandText = "UPDATE IdempotencyKeys SET CreatedAt = $at";
            age.Parameters.AddWithValue("$at", DateTime.UtcNow.AddHours(-25).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
            await age.ExecuteNonQueryAsync();
        }

        Assert.Equal(1, await Factory.Services.GetRequiredService<IdempotencyStore>().PurgeAsync());
        var second = await ApiTestClient.ExpectAsync(await PostAsync(Api, Sources, new { name = "Daily" }, "daily"), HttpStatusCode.Created);
        Assert.NotEqual(ApiTestClient.Id(first), ApiTestClient.Id(second));
    }

    [Fact]
    public async Task A_new_api_key_is_not_stored_in_clear_for_its_replay()
    {
        var created = await ApiTestClient.ExpectAsync(await PostAsync(Api, ApiTestClient.V1 + "/api-keys", new { name = "Secret", role = "tester" }, "key-1"), HttpStatusCode.Created);
        var key = created.GetProperty("key").GetString()!;

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(Factory.DataDirectory, "studio.db")}");
        await connection.OpenAsync();
        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT ResponseBody FROM IdempotencyKeys";
        var stored = (byte[])(await read.ExecuteScalarAsync())!;
        Assert.DoesNotContain(key, System.Text.Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
    }
}
