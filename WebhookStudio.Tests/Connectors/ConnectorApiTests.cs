using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookStudio.Data;
using WebhookStudio.Tests.Subscriptions;
using WebhookStudio.Tests.Infrastructure;
using static WebhookStudio.Tests.Infrastructure.ApiTestClient;

namespace WebhookStudio.Tests.Connectors;

/// <summary>/api/v1/connectors: secrets encrypted at rest, never answered, masked everywhere; in-use refusal; OAuth2 tokens.</summary>
public sealed class ConnectorApiTests(SharedStudio shared) : OutboundTestBase(shared)
{
    private const string Password = "Pa55-word-basic-9f3k";
    private const string Token = "tok_bearer_7Hq2LmZpX";
    private const string HeaderKey = "key_header_R4nd0mV4lue";
    private const string QueryKey = "key_query_Zx81Qw77";
    private const string ClientSecret = "client_secret_Yy6TtRr";

    private async Task<Dictionary<string, JsonElement>> CreateAllKindsAsync() => new()
    {
        ["basic"] = await Api.CreateConnectorAsync(new { name = "CRM login", kind = "basic", username = "studio", secret = Password }),
        ["bearer"] = await Api.CreateConnectorAsync(new { name = "CRM token", kind = "bearer", secret = Token }),
        ["header"] = await Api.CreateConnectorAsync(new { name = "Header key", kind = "api_key_header", parameterName = "X-Api-Key", secret = HeaderKey }),
        ["query"] = await Api.CreateConnectorAsync(new { name = "Query key", kind = "api_key_query", parameterName = "api_key", secret = QueryKey }),
        ["oauth"] = await Api.CreateConnectorAsync(new { name = "OAuth", kind = "oauth2_client_credentials", tokenUrl = Sink.Url("/token"), clientId = "studio-client", scope = "hooks.write", secret = ClientSecret }),
    };

    private static readonly string[] Secrets = [Password, Token, HeaderKey, QueryKey, ClientSecret];

    [Fact]
    public async Task Secrets_are_never_answered_and_not_in_the_database_file_in_clear()
    {
        var connectors = await CreateAllKindsAsync();
        foreach (var (_, connector) in connectors)
        {
            Assert.True(connector.GetProperty("secretSet").GetBoolean());
            Assert.StartsWith("••••, set ", connector.GetProperty("secretHint").GetString(), StringComparison.Ordinal);
            Assert.False(connector.TryGetProperty("secret", out _));
        }
        var answers = (await Api.GetJsonAsync($"{V1}/connectors")).ToJsonString()
            + string.Concat(await Task.WhenAll(connectors.Values.Select(c => Api.Http.GetStringAsync($"{V1}/connectors/{Id(c)}"))));
        foreach (var secret in Secrets)
            Assert.DoesNotContain(secret, answers, StringComparison.Ordinal);
        Assert.Equal("studio", connectors["basic"].GetProperty("username").GetString());
        Assert.Equal("X-Api-Key", connectors["header"].GetProperty("parameterName").GetString());

        // Everything the file system holds: the database and its write-ahead log.
        SqliteConnection.ClearAllPools();
        var files = Directory.GetFiles(Factory.DataDirectory, "studio.db*");
        Assert.NotEmpty(files);
        var bytes = files.SelectMany(f => { using var s = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete); using var m = new MemoryStream(); s.CopyTo(m); return m.ToArray(); }).ToArray();
        var asText = Encoding.UTF8.GetString(bytes) + Encoding.Unicode.GetString(bytes);
        Assert.Contains("studio-client", asText, StringComparison.Ordinal); // not secret, and proves the search sees the rows
        foreach (var secret in Secrets)
            Assert.DoesNotContain(secret, asText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_gets_a_message_per_field_and_testers_cannot_change_connectors()
    {
        async Task<string> Error(object body, string field) => await ExpectValidationErrorAsync(await Api.Http.PostAsJsonAsync($"{V1}/connectors", body), field);
        Assert.Contains("basic", await Error(new { name = "x", kind = "magic" }, "kind"), StringComparison.Ordinal);
        Assert.Contains("password", await Error(new { name = "x", kind = "basic", username = "u" }, "secret"), StringComparison.Ordinal);
        Assert.Contains("user name", await Error(new { name = "x", kind = "basic", secret = "p" }, "username"), StringComparison.Ordinal);
        Assert.Contains("header name", await Error(new { name = "x", kind = "api_key_header", parameterName = "Bad Header", secret = "k" }, "parameterName"), StringComparison.Ordinal);
        Assert.Contains("token URL", await Error(new { name = "x", kind = "oauth2_client_credentials", tokenUrl = "not a url", clientId = "c", secret = "s" }, "tokenUrl"), StringComparison.Ordinal);
        Assert.Contains("name", await Error(new { kind = "bearer", secret = "t" }, "name"), StringComparison.Ordinal);
        var tester = await ForRoleAsync(Factory, "Tester");
        await ExpectProblemAsync(await tester.Http.PostAsJsonAsync($"{V1}/connectors", new { name = "x", kind = "bearer", secret = "t" }), HttpStatusCode.Forbidden);
        await ExpectAsync(await tester.Http.GetAsync($"{V1}/connectors"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Credentials_reach_the_receiver_but_are_masked_in_example_test_answer_and_attempt_records()
    {
        var connectors = await CreateAllKindsAsync();
        var received = new Dictionary<string, Infrastructure.SinkRequest>();
        foreach (var kind in new[] { "basic", "bearer", "header", "query" })
        {
            var id = Id(await Api.CreateSubscriptionAsync(new { app = "crm", @event = "item.created", url = Sink.Url("/" + kind), connectorId = Id(connectors[kind]) }));
            var example = await Api.ExampleAsync(id);
            var test = await Api.TestSubscriptionAsync(id);
            Assert.True(test.GetProperty("succeeded").GetBoolean(), test.GetProperty("error").GetString());
            foreach (var secret in Secrets.Append(Convert.ToBase64String(Encoding.UTF8.GetBytes("studio:" + Password))))
            {
                Assert.DoesNotContain(secret, example.GetRawText(), StringComparison.Ordinal);
                Assert.DoesNotContain(secret, test.GetRawText(), StringComparison.Ordinal);
            }
            received[kind] = Sink.Requests.Last();
        }
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("studio:" + Password)), received["basic"].Header("Authorization"));
        Assert.Equal("Bearer " + Token, received["bearer"].Header("Authorization"));
        Assert.Equal(HeaderKey, received["header"].Header("X-Api-Key"));
        Assert.Equal("?api_key=" + QueryKey, received["query"].Query);

        await using var db = await Factory.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        var attempts = string.Join("\n", await db.DeliveryAttempts.Select(a => a.Request).ToListAsync());
        Assert.Contains("api_key=••••", attempts, StringComparison.Ordinal);
        foreach (var secret in Secrets)
            Assert.DoesNotContain(secret, attempts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_update_without_a_secret_keeps_it_and_a_connector_in_use_cannot_be_deleted()
    {
        var connector = await Api.CreateConnectorAsync(new { name = "CRM token", kind = "bearer", secret = Token });
        var connectorId = Id(connector);
        var updated = await ExpectAsync(await Api.Http.PutAsJsonAsync($"{V1}/connectors/{connectorId}", new { name = "CRM token (renamed)", kind = "bearer" }), HttpStatusCode.OK);
        Assert.Equal("CRM token (renamed)", updated.GetProperty("name").GetString());
        var subscription = Id(await Api.CreateSubscriptionAsync(new { app = "crm", name = "Contacts to CRM", @event = "item.created", url = Sink.Url(), connectorId }));
        await Api.TestSubscriptionAsync(subscription);
        Assert.Equal("Bearer " + Token, Sink.Single().Header("Authorization"));

        var problem = await ExpectProblemAsync(await Api.Http.DeleteAsync($"{V1}/connectors/{connectorId}"), HttpStatusCode.Conflict);
        Assert.Contains("Contacts to CRM", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("Contacts to CRM", problem.GetProperty("usedBy")[0].GetString(), StringComparison.Ordinal);

        await Api.Http.PutAsJsonAsync($"{V1}/subscriptions/{subscription}", new { app = "crm", @event = "item.created", url = Sink.Url() });
        Assert.Equal(HttpStatusCode.NoContent, (await Api.Http.DeleteAsync($"{V1}/connectors/{connectorId}")).StatusCode);
        await ExpectProblemAsync(await Api.Http.GetAsync($"{V1}/connectors/{connectorId}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task OAuth2_tokens_are_fetched_once_cached_and_refreshed_once_on_a_401()
    {
        var issued = 0;
        var valid = "";
        var tokenForms = new List<string>();
        Sink.Respond = async (request, context) =>
        {
            if (request.Path == "/token")
            {
                tokenForms.Add(request.BodyText);
                valid = $"access-{++issued}";
                await context.Response.WriteAsJsonAsync(new { access_token = valid, token_type = "Bearer", expires_in = 3600 });
                return;
            }
            if (request.Header("Authorization") != "Bearer " + valid)
            {
                context.Response.StatusCode = 401;
                return;
            }
            await context.Response.WriteAsync("hello " + valid);
        };
        var connector = await Api.CreateConnectorAsync(new { name = "OAuth", kind = "oauth2_client_credentials", tokenUrl = Sink.Url("/token"), clientId = "studio-client", scope = "hooks.write", secret = ClientSecret });
        var id = Id(await Api.CreateSubscriptionAsync(new { app = "crm", @event = "item.created", url = Sink.Url("/hook"), connectorId = Id(connector) }));

        var example = await Api.ExampleAsync(id);
        Assert.Equal(0, issued); // an Example fetches no token

        Assert.Equal("hello access-1", (await Api.TestSubscriptionAsync(id)).GetProperty("response").GetProperty("body").GetString());
        Assert.Equal("hello access-1", (await Api.TestSubscriptionAsync(id)).GetProperty("response").GetProperty("body").GetString());
        Assert.Equal(1, issued);
        var form = System.Web.HttpUtility.ParseQueryString(tokenForms[0]);
        Assert.Equal("client_credentials", form["grant_type"]);
        Assert.Equal("studio-client", form["client_id"]);
        Assert.Equal(ClientSecret, form["client_secret"]);
        Assert.Equal("hooks.write", form["scope"]);

        valid = "revoked"; // the receiver no longer accepts access-1
        var refreshed = await Api.TestSubscriptionAsync(id);
        Assert.True(refreshed.GetProperty("succeeded").GetBoolean(), refreshed.GetProperty("error").GetString());
        Assert.Equal("hello access-2", refreshed.GetProperty("response").GetProperty("body").GetString());
        Assert.Equal(2, issued);
        Assert.DoesNotContain("access-2", refreshed.GetProperty("request").GetRawText(), StringComparison.Ordinal);
        Assert.StartsWith("••••", RequestHeader(refreshed.GetProperty("request"), "Authorization"), StringComparison.Ordinal);
        await using var db = await Factory.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        Assert.Equal(2, (await db.Deliveries.OrderBy(d => d.Id).LastAsync()).AttemptCount);
    }
}
