using WebhookStudio.Features.Subscriptions;
using WebhookStudio.Tests.Infrastructure;
using static WebhookStudio.Tests.Infrastructure.ApiTestClient;

namespace WebhookStudio.Tests.Subscriptions;

/// <summary>A subscription's app label, left empty, is read from the host of its URL.</summary>
public sealed class AppLabelTests(SharedStudio shared) : OutboundTestBase(shared)
{
    [Theory]
    [InlineData("https://api.hubspot.com/webhooks/v3", "hubspot")]
    [InlineData("https://hooks.slack.com/services/T0/B0/x", "slack")]
    [InlineData("https://crm.example.co.uk/in", "example")]
    [InlineData("https://CRM.Example.com", "example")]
    [InlineData("http://localhost:5080/bins/abc", "localhost")]
    [InlineData("http://10.1.2.3/hook", "10.1.2.3")]
    [InlineData("http://[::1]:8080/hook", "::1")]
    [InlineData("https://{{ item.data.host }}/hook", null)]
    [InlineData("/relative", null)]
    [InlineData("", null)]
    public void The_label_is_the_name_the_host_is_registered_under(string url, string? expected) =>
        Assert.Equal(expected, SubscriptionLabels.AppFromUrl(url));

    [Fact]
    public async Task A_subscription_without_an_app_label_takes_it_from_its_url_and_names_itself_after_it()
    {
        var created = await Api.CreateSubscriptionAsync(new { @event = "item.created", url = Sink.Url("/hooks/orders") });
        Assert.Equal("127.0.0.1", created.GetProperty("app").GetString());
        Assert.Equal("127.0.0.1 → 127.0.0.1", created.GetProperty("name").GetString());

        var typed = await Api.CreateSubscriptionAsync(new { app = "crm", @event = "item.created", url = Sink.Url() });
        Assert.Equal("crm", typed.GetProperty("app").GetString());

        // A host written as a template names no app: the label must be given.
        var error = await ExpectValidationErrorAsync(
            await Api.PostSubscriptionAsync(new { @event = "item.created", url = "https://{{ item.data.host }}/hook" }), "app");
        Assert.Contains("Give an app label", error, StringComparison.Ordinal);
    }
}
