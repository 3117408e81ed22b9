using System.Net;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Sources.Receiving;

public sealed class RateLimitTests
{
    [Fact]
    public async Task Over_the_per_source_limit_answers_429_with_retry_after_and_other_sources_are_unaffected()
    {
        using var factory = new StudioFactory().With("Receiver:RateLimitPerMinute", "3");
        var api = await ApiTestClient.ForRoleAsync(factory, "Admin");
        var busy = await api.SetUpSourceAsync("Busy");
        var quiet = await api.SetUpSourceAsync("Quiet");

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Accepted, (await api.PostHookAsync(busy.Token, $$"""{"n":{{i}}}""")).StatusCode);
        var limited = await api.PostHookAsync(busy.Token, """{"n":4}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostHookAsync(quiet.Token, """{"n":1}""")).StatusCode);
    }

    [Fact]
    public async Task Without_the_setting_there_is_no_limit()
    {
        using var factory = new StudioFactory();
        var api = await ApiTestClient.ForRoleAsync(factory, "Admin");
        var source = await api.SetUpSourceAsync("Unlimited");
        for (var i = 0; i < 50; i++)
            Assert.Equal(HttpStatusCode.Accepted, (await api.PostHookAsync(source.Token, $$"""{"n":{{i}}}""")).StatusCode);
    }
}
