using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using WebhookStudio.Components;
using WebhookStudio.Features.Tester;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Components;

/// <summary>The tester's request form: the body follows the method, query rows and URL stay in step, a pre-fill fills it.</summary>
public sealed class RequestComposerTests : BunitContext, IAsyncLifetime
{
    private readonly StudioFactory factory = new();
    private TesterRequest? latest;

    public Task InitializeAsync()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        return Task.CompletedTask;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        factory.Dispose();
    }

    private IRenderedComponent<RequestComposer> RenderComposer(TesterRequest request)
    {
        var host = Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<RequestComposer>(1);
            builder.AddAttribute(2, nameof(RequestComposer.Request), request);
            builder.AddAttribute(3, nameof(RequestComposer.RequestChanged), Microsoft.AspNetCore.Components.EventCallback.Factory.Create<TesterRequest>(this, r => latest = r));
            builder.CloseComponent();
        });
        return host.FindComponent<RequestComposer>();
    }

    private static IEnumerable<string> TabNames(IRenderedComponent<RequestComposer> composer) =>
        composer.FindAll(".mud-tab").Select(t => t.TextContent.Trim());

    [Fact]
    public async Task Choosing_GET_hides_the_body_and_POST_shows_it_again()
    {
        var composer = RenderComposer(new TesterRequest { Method = "POST", Url = "https://a.example/orders", Body = "{}" });
        Assert.Contains("Body", TabNames(composer));

        var method = composer.FindComponent<MudSelect<string>>();
        await composer.InvokeAsync(() => method.Instance.ValueChanged.InvokeAsync("GET"));
        composer.WaitForAssertion(() => Assert.DoesNotContain("Body", TabNames(composer)));
        Assert.Equal("GET", latest!.Method);

        await composer.InvokeAsync(() => method.Instance.ValueChanged.InvokeAsync("PUT"));
        composer.WaitForAssertion(() => Assert.Contains("Body", TabNames(composer)));
    }

    [Fact]
    public void Query_rows_follow_the_url_and_the_url_follows_the_rows()
    {
        var composer = RenderComposer(new TesterRequest { Url = "https://a.example/x" });
        Assert.Empty(composer.FindAll("input[data-testid^=query-name]"));

        composer.Find("input[data-testid=url]").Input("https://a.example/x?status=paid&q=two%20words#top");
        composer.WaitForAssertion(() => Assert.Equal(2, composer.FindAll("input[data-testid^=query-name]").Count));
        Assert.Equal("status", composer.Find("input[data-testid=query-name-0]").GetAttribute("value"));
        Assert.Equal("two words", composer.Find("input[data-testid=query-value-1]").GetAttribute("value"));
        Assert.Contains("Query (2)", TabNames(composer));

        composer.Find("input[data-testid=query-value-0]").Input("open & due");
        composer.WaitForAssertion(() => Assert.Equal("https://a.example/x?status=open%20%26%20due&q=two%20words#top", latest!.Url));
        Assert.Equal(latest!.Url, composer.Find("input[data-testid=url]").GetAttribute("value"));

        // A new row stays while its name is typed, and joins the URL once it has one.
        composer.Find("[data-testid=add-query]").Click();
        composer.WaitForAssertion(() => Assert.Equal(3, composer.FindAll("input[data-testid^=query-name]").Count));
        composer.Find("input[data-testid=query-name-2]").Input("page");
        composer.WaitForAssertion(() => Assert.EndsWith("&page=#top", latest!.Url, StringComparison.Ordinal));
        Assert.Equal(3, composer.FindAll("input[data-testid^=query-name]").Count);
    }

    [Fact]
    public async Task A_prefill_from_a_source_fills_the_receiver_url_and_the_sample_body()
    {
        var api = await ApiTestClient.ForRoleAsync(factory, "Admin");
        var source = await api.SetUpSourceAsync("Stripe invoices", "stripe");
        var prefill = await factory.Services.GetRequiredService<TesterService>().ForSourceAsync(source.Id, "https://studio.example.com/");
        var composer = RenderComposer(prefill!);

        Assert.Equal($"https://studio.example.com/hooks/{source.Token}", composer.Find("input[data-testid=url]").GetAttribute("value"));
        composer.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "Body").Click();
        var editor = composer.WaitForComponent<CodeEditor>();
        Assert.Contains("\"invoice.paid\"", editor.Instance.Value, StringComparison.Ordinal);
        Assert.Equal("json", editor.Instance.Language);
        Assert.StartsWith("application/json", composer.Find("input[data-testid=content-type]").GetAttribute("value"), StringComparison.Ordinal);
    }
}
