using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Sources.Receiving;

/// <summary>Each row of the receiver's contract, as a third-party sender sees it.</summary>
public sealed class ReceiverContractTests(SharedStudio shared) : ApiTestBase(shared, () => new StudioFactory().With("Receiver:MaxBodyBytes", "4096"))
{
    private ApiTestClient.CreatedSource source = default!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        source = await Api.SetUpSourceAsync("Contract", patch: new { idPath = "id", titlePath = "name", liveStream = true });
    }

    private async Task<JsonElement> ProblemOf(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/cloudevents+json")]
    [InlineData("APPLICATION/JSON")]
    public async Task Json_objects_are_accepted_with_202_and_the_payload_id(string contentType)
    {
        var response = await Api.PostHookAsync(source.Token, """{"id":"a1","name":"Ada"}""", contentType);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("payloadId").GetInt64() > 0);
    }

    [Fact]
    public async Task An_array_of_objects_is_accepted_and_yields_one_item_per_element()
    {
        var response = await Api.PostHookAsync(source.Token, """[{"id":"x1","name":"One"},{"id":"x2","name":"Two"}]""");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Api.SettledPayloadsAsync(source.Id);
        var items = await Api.ItemsAsync(source.Id);
        Assert.Equal(["One", "Two"], items.Select(i => (string)i!["title"]!));
    }

    [Fact]
    public async Task Form_posts_are_accepted_nested_and_kept_as_received()
    {
        var form = SamplePayloads.Read("mailchimp-subscribe.form").Trim();
        var mailchimp = await Api.SetUpSourceAsync("Mailchimp", "mailchimp", new { entityPath = "$.data", idPath = "id", titlePath = "merges.EMAIL", liveStream = true });
        var response = await Api.PostHookAsync(mailchimp.Token, form, "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var payloadId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("payloadId").GetInt64();

        var payloads = await Api.SettledPayloadsAsync(mailchimp.Id);
        Assert.Equal("processed", (string)payloads[0]!["outcome"]!);
        var stored = await Api.GetJsonAsync($"/api/v1/sources/{mailchimp.Id}/payloads/{payloadId}");
        Assert.Equal(form, (string)stored["body"]!);
        var item = (await Api.ItemsAsync(mailchimp.Id)).Single()!;
        Assert.Contains("@", (string)item["title"]!, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Object, ((JsonObject)item["data"]!)["merges"]!.GetValueKind());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task Other_content_types_get_415_naming_what_is_accepted(string contentType)
    {
        var response = await Api.PostHookAsync(source.Token, """{"id":"1"}""", contentType);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/json", (await ProblemOf(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_json_gets_400_with_line_and_position()
    {
        var response = await Api.PostHookAsync(source.Token, "{\n  \"id\": \"1\",\n  \"name\": }");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await ProblemOf(response)).GetProperty("detail").GetString()!;
        Assert.Contains("line 3", detail, StringComparison.Ordinal);
        Assert.Contains("position", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{'id':'1'}")]
    [InlineData("{id:1}")]
    [InlineData("{\"id\":\"a\u0000b\"}")]
    [InlineData("{\"id\":1,}")]
    public async Task Json_beyond_rfc_8259_gets_400(string body)
    {
        var response = await Api.PostHookAsync(source.Token, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("Invalid JSON at line 1", (await ProblemOf(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Four_hundred_digit_numbers_reach_the_item_with_every_digit()
    {
        var integer = "9" + new string('1', 399);
        var fraction = "0." + new string('1', 400);
        var response = await Api.PostHookAsync(source.Token, $$"""{"id":"digits","name":"Digits","big":{{integer}},"fine":{{fraction}}}""");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Api.SettledPayloadsAsync(source.Id);
        var item = (await Api.ItemsAsync(source.Id)).Single(i => (string)i!["externalId"]! == "digits")!;
        var data = item["data"]!.ToJsonString();
        Assert.Contains($"\"big\":{integer}", data, StringComparison.Ordinal);
        Assert.Contains($"\"fine\":{fraction}", data, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"just a string\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("[{\"id\":1}, 2]")]
    public async Task Json_that_is_not_objects_gets_422_saying_what_is_expected(string body)
    {
        var response = await Api.PostHookAsync(source.Token, body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Expected a JSON object", (await ProblemOf(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_over_the_limit_gets_413()
    {
        var big = "{\"id\":\"1\",\"pad\":\"" + new string('x', 5000) + "\"}";
        var response = await Api.PostHookAsync(source.Token, big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("Receiver:MaxBodyBytes", (await ProblemOf(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_gets_413_without_a_content_length()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/hooks/{source.Token}")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('y', 8000) + "\"}"))),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Headers.TransferEncodingChunked = true;
        var response = await Api.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    public async Task Unknown_tokens_get_404(string suffix)
    {
        var response = await Api.PostHookAsync(source.Token + suffix + "zz", """{"id":"1"}""");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await ProblemOf(response);
    }

    [Fact]
    public async Task Json_nested_deeper_than_64_gets_400_without_crashing()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200);
        var response = await Api.PostHookAsync(source.Token, deep);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("64", (await ProblemOf(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, (await Api.PostHookAsync(source.Token, """{"id":"still-alive"}""")).StatusCode);
    }

    [Fact]
    public async Task Large_integers_and_unicode_survive_byte_for_byte()
    {
        var shopify = SamplePayloads.Read("shopify-orders-create.json");
        var response = await Api.PostHookAsync(source.Token, shopify);
        var payloadId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("payloadId").GetInt64();
        var stored = await Api.GetJsonAsync($"/api/v1/sources/{source.Id}/payloads/{payloadId}");
        Assert.Equal(shopify, (string)stored["body"]!);

        var unicode = """{"id":"ü-1","name":"Zoë 🚀 — 東京","big":123456789012345678901234567890}""";
        await Api.PostHookAsync(source.Token, unicode);
        await Api.SettledPayloadsAsync(source.Id);
        var item = (await Api.ItemsAsync(source.Id)).Single(i => (string)i!["externalId"]! == "ü-1")!;
        Assert.Equal("Zoë 🚀 — 东京".Replace("东", "東", StringComparison.Ordinal), (string)item["title"]!);
        Assert.Contains("123456789012345678901234567890", item["data"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_receiver_needs_no_sign_in()
    {
        var anonymous = Factory.CreateClient();
        var request = new StringContent("""{"id":"anon"}""", Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.Accepted, (await anonymous.PostAsync($"/hooks/{source.Token}", request)).StatusCode);
    }
}
