using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor.Services;
using WebhookStudio.Components.Layout;

namespace WebhookStudio.Tests.Components;

/// <summary>A failing part of a page shows a message with a way out, and comes back when reloaded.</summary>
public sealed class PageErrorBoundaryTests : BunitContext, IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are only asynchronously disposable.
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    [Fact]
    public void A_part_that_fails_shows_the_message_and_reload_brings_it_back()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        var part = new FlakyPart.State { Failing = true };

        var boundary = Render<PageErrorBoundary>(p => p.AddChildContent<FlakyPart>(c => c.Add(f => f.Behaviour, part)));

        var message = boundary.Find("[data-testid=page-error]");
        Assert.Equal("alert", message.GetAttribute("role"));
        Assert.Contains("This part of the page stopped working.", message.TextContent, StringComparison.Ordinal);
        Assert.Empty(boundary.FindAll("[data-testid=part]"));

        // Reloading a part that still fails tries again and says so again.
        boundary.Find("[data-testid=page-error-reload]").Click();
        Assert.Equal(2, part.Renders);
        Assert.Single(boundary.FindAll("[data-testid=page-error]"));

        part.Failing = false;
        boundary.Find("[data-testid=page-error-reload]").Click();
        Assert.Equal("Orders loaded", boundary.Find("[data-testid=part]").TextContent);
        Assert.Empty(boundary.FindAll("[data-testid=page-error]"));
    }

    [Fact]
    public void Back_leaves_the_failed_part_for_the_page_before()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        var boundary = Render<PageErrorBoundary>(p => p.AddChildContent<FlakyPart>(c => c.Add(f => f.Behaviour, new FlakyPart.State { Failing = true })));

        boundary.FindAll("[data-testid=page-error] button").Single(b => b.TextContent.Contains("Back", StringComparison.Ordinal)).Click();

        JSInterop.VerifyInvoke("history.back");
    }

    /// <summary>A part of a page that throws while rendering as long as its state says so.</summary>
    private sealed class FlakyPart : ComponentBase
    {
        public sealed class State
        {
            public bool Failing { get; set; }
            public int Renders { get; set; }
        }

        [Parameter] public State Behaviour { get; set; } = new();

        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            Behaviour.Renders++;
            if (Behaviour.Failing)
                throw new InvalidOperationException("The part failed.");
            builder.OpenElement(0, "p");
            builder.AddAttribute(1, "data-testid", "part");
            builder.AddContent(2, "Orders loaded");
            builder.CloseElement();
        }
    }
}
