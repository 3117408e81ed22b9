using System.Net;
using System.Security.Cryptography;
using System.Text;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WebhookStudio.Features.Sources;
using WebhookStudio.Features.Sources.Inbound;
using WebhookStudio.Features.Sources.Receiving;
using WebhookStudio.Features.Sources.Settings;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Components;

/// <summary>The verification editor over a real studio: the preset's help, messages next to the fields, saving, and the check against a payload.</summary>
public sealed class VerificationEditorTests : StudioComponentTestBase
{
    private const string Body = """{"id":"evt_1","name":"Signed"}""";

    public VerificationEditorTests(SharedStudio shared) : base(shared)
    {
        Services.AddSingleton(_ => Factory.Services.GetRequiredService<SourceSecrets>());
        Services.AddSingleton(_ => Factory.Services.GetRequiredService<PayloadQueries>());
        Services.AddSingleton(_ => Factory.Services.GetRequiredService<VerificationCheck>());
        Services.AddSingleton(_ => Factory.Services.GetRequiredService<ReceiverUrls>());
    }

    private IRenderedComponent<VerificationEditor> RenderEditor(int sourceId)
    {
        var editor = Render<VerificationEditor>(p => p.Add(e => e.SourceId, sourceId));
        editor.WaitForElement("[data-testid=verification-kind]", TimeSpan.FromSeconds(10));
        return editor;
    }

    private static string FieldText(IRenderedComponent<VerificationEditor> editor, string testId) =>
        editor.Find($"[data-testid={testId}]").Closest(".mud-input-control")!.TextContent;

    private static Task Choose(IRenderedComponent<VerificationEditor> editor, VerificationKind kind) =>
        editor.InvokeAsync(() => editor.FindComponent<MudSelect<VerificationKind>>().Instance.ValueChanged.InvokeAsync(kind));

    [Fact]
    public async Task A_preset_says_which_secret_to_paste_and_saving_without_it_says_so_next_to_the_field()
    {
        var source = await Service<SourceService>().CreateAsync("Slack events", "slack");
        var editor = RenderEditor(source.Id);
        Assert.Contains("Slack signs its requests", editor.Find("[data-testid=verification-suggestion]").TextContent, StringComparison.Ordinal);

        await Choose(editor, VerificationKind.Slack);
        editor.WaitForAssertion(() => Assert.Contains("Basic Information", editor.Find("[data-testid=verification-help]").TextContent, StringComparison.Ordinal));
        editor.Find("[data-testid=verification-save]").Click();

        editor.WaitForAssertion(() => Assert.Contains("Paste Slack's signing secret", FieldText(editor, "verification-secret"), StringComparison.Ordinal));
        Assert.Equal(VerificationKind.None, (await Service<SourceService>().GetAsync(source.Id))!.Source.VerificationKind);

        editor.Find("input[data-testid=verification-secret]").Change("8f742231b10e8888abcd99yyyzzz85a5");
        editor.Find("[data-testid=verification-save]").Click();

        editor.WaitForAssertion(() => Assert.Contains("Saved: ••••85a5", FieldText(editor, "verification-secret"), StringComparison.Ordinal));
        Assert.Equal(VerificationKind.Slack, (await Service<SourceService>().GetAsync(source.Id))!.Source.VerificationKind);
    }

    [Fact]
    public async Task Checking_a_custom_signature_against_a_payload_says_which_part_differs()
    {
        var source = await Service<SourceService>().CreateAsync("Acme", "custom");
        var signature = Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes("acme-secret"), Encoding.UTF8.GetBytes(Body)));
        using var sender = Factory.CreateClient();
        using var content = new StringContent(Body, Encoding.UTF8, "application/json");
        content.Headers.Add("X-Acme-Signature", "sha1=" + signature);
        Assert.Equal(HttpStatusCode.Accepted, (await sender.PostAsync($"/hooks/{source.Token}", content)).StatusCode);
        var editor = RenderEditor(source.Id);

        await Choose(editor, VerificationKind.CustomHmac);
        editor.Find("input[data-testid=verification-secret]").Change("acme-secret");
        editor.Find("input[data-testid=verification-header]").Change("X-Acme-Signature");
        editor.Find("input[data-testid=verification-prefix]").Change("sha1=");
        editor.Find("[data-testid=verification-check]").Click();

        editor.WaitForAssertion(() => Assert.Contains("The algorithm differs: it matches with sha1 instead of sha256",
            editor.Find("[data-testid=verification-verdict]").TextContent, StringComparison.Ordinal));

        await editor.InvokeAsync(() => editor.FindComponent<MudSelect<HmacAlgorithm>>().Instance.ValueChanged.InvokeAsync(HmacAlgorithm.Sha1));
        editor.Find("[data-testid=verification-check]").Click();
        editor.WaitForAssertion(() => Assert.Contains("passes this verification", editor.Find("[data-testid=verification-verdict]").TextContent, StringComparison.Ordinal));
    }
}
