using System.Net;
using System.Net.Http.Json;
using WebhookStudio.Tests.Infrastructure;
using static WebhookStudio.Tests.Infrastructure.ApiTestClient;

namespace WebhookStudio.Tests.Subscriptions;

/// <summary>Addresses the sender would refuse are refused when a subscription is saved, not only when it sends.</summary>
public sealed class SubscriptionAddressTests(SharedStudio shared) : ApiTestBase(shared, () => new StudioFactory().With("Outbound:AllowedNetworks:0", "0.0.0.0/0").With("Outbound:AllowedNetworks:1", "::/0"))
{
    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/", "link-local")]
    [InlineData("http://[::ffff:169.254.169.254]/latest/meta-data/", "link-local")]
    [InlineData("http://[fe80::1]/hook", "link-local")]
    [InlineData("http://0.0.0.0:8080/hook", "unspecified")]
    [InlineData("http://224.0.0.1/hook", "multicast")]
    public async Task A_literal_address_the_sender_always_refuses_is_refused_at_save_even_when_every_network_is_allowed(string url, string why)
    {
        var error = await ExpectValidationErrorAsync(await Api.Http.PostAsJsonAsync($"{V1}/subscriptions", new { app = "crm", @event = "item.created", url }), "url");
        Assert.Contains(why, error, StringComparison.Ordinal);
        Assert.Contains("Outbound:AllowedNetworks", error, StringComparison.Ordinal);

        var saved = await Api.CreateSubscriptionAsync(new { app = "crm", @event = "item.created", url = "https://crm.example.com/hooks" });
        await ExpectValidationErrorAsync(await Api.Http.PatchAsJsonAsync($"{V1}/subscriptions/{Id(saved)}", new { url }), "url");
    }

    [Fact]
    public async Task Allowed_networks_open_loopback_and_private_ranges()
    {
        await Api.CreateSubscriptionAsync(new { app = "crm", @event = "item.created", url = "http://127.0.0.1:9/hook" });
        await Api.CreateSubscriptionAsync(new { app = "crm", @event = "item.created", url = "http://10.1.2.3/hook" });
    }
}

public sealed class SubscriptionAddressWarningTests(SharedStudio shared) : ApiTestBase(shared)
{
    [Fact]
    public async Task A_literal_loopback_is_refused_and_a_name_that_resolves_to_it_is_saved_with_a_warning()
    {
        var error = await ExpectValidationErrorAsync(await Api.Http.PostAsJsonAsync($"{V1}/subscriptions",
            new { app = "crm", @event = "item.created", url = "http://127.0.0.1:9/hook" }), "url");
        Assert.Contains("loopback", error, StringComparison.Ordinal);

        var response = await Api.Http.PostAsJsonAsync($"{V1}/subscriptions", new { app = "crm", @event = "item.created", url = "http://localhost:9/hook" });
        var created = await ExpectAsync(response, HttpStatusCode.Created);
        var warning = created.GetProperty("warnings").GetProperty("url")[0].GetString();
        Assert.Contains("loopback", warning, StringComparison.Ordinal);
    }
}
