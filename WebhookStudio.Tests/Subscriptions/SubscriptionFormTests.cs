using AngleSharp.Dom;
using Bunit;
using MudBlazor;
using WebhookStudio.Features.Outbound.Templates;
using WebhookStudio.Features.Subscriptions;
using WebhookStudio.Tests.Components;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Subscriptions;

/// <summary>The create/edit page over the real SubscriptionService: its errors land next to the inputs they concern.</summary>
public sealed class SubscriptionFormTests(SharedStudio shared) : StudioComponentTestBase(shared)
{
    private IRenderedComponent<SubscriptionPage> RenderNew() => Render<SubscriptionPage>();

    /// <summary>The helper/error line MudBlazor renders under the input with this data-testid.</summary>
    private static string TextUnder(IElement input) => input.Closest(".mud-input-control")!.TextContent;

    private static void Type(IRenderedComponent<SubscriptionPage> cut, string selector, string text) => cut.Find(selector).Input(text);

    private static Task ChooseAsync<T>(IRenderedComponent<SubscriptionPage> cut, T value, string testId)
    {
        var select = cut.FindComponents<MudSelect<T>>().First(s => s.Markup.Contains($"data-testid=\"{testId}\"", StringComparison.Ordinal));
        return cut.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(value));
    }

    private static void Save(IRenderedComponent<SubscriptionPage> cut) => cut.Find("[data-testid=save-subscription]").Click();

    [Fact]
    public async Task The_services_messages_appear_next_to_their_fields_and_what_was_typed_stays()
    {
        var cut = RenderNew();
        cut.WaitForElement("[data-testid=sub-url]");

        Type(cut, "[data-testid=sub-url]", "ftp://crm.example.com/hooks");
        cut.Find("[data-testid=header-rows] button").Click(); // "Add header"
        cut.WaitForElement("[data-testid=header-rows] [data-testid=pair-row]");
        cut.Find("[data-testid=header-rows] [data-testid=pair-row] input").Input("Bad Header");
        // Uncheck both default activities: none left.
        foreach (var activity in new[] { "Item created", "Item updated" })
        {
            var box = cut.FindComponents<MudCheckBox<bool>>().Single(c => c.Instance.Label == activity);
            await cut.InvokeAsync(() => box.Instance.ValueChanged.InvokeAsync(false));
        }

        Save(cut);

        cut.WaitForAssertion(() => Assert.Contains("things need fixing", cut.Find("[data-testid=form-errors]").TextContent, StringComparison.Ordinal));
        Assert.Contains("Give an app label", TextUnder(cut.Find("[data-testid=sub-app]")), StringComparison.Ordinal);
        Assert.Contains("Enter an absolute http:// or https:// address", TextUnder(cut.Find("[data-testid=sub-url]")), StringComparison.Ordinal);
        Assert.Contains("'Bad Header' is not a valid header name", TextUnder(cut.Find("[data-testid=header-rows] [data-testid=pair-row] input")), StringComparison.Ordinal);
        Assert.Contains("Choose at least one activity", cut.Find("[data-testid=error-events]").TextContent, StringComparison.Ordinal);
        // The name has no problem: nothing red under it.
        Assert.DoesNotContain("mud-input-error", cut.Find("[data-testid=sub-name]").Closest(".mud-input-control")!.InnerHtml, StringComparison.Ordinal);
        Assert.Equal("ftp://crm.example.com/hooks", cut.Find("[data-testid=sub-url]").GetAttribute("value"));
        Assert.Equal(0, (await Service<SubscriptionService>().ListAsync(new SubscriptionQuery(), new WebhookStudio.Api.PageRequest(1, 10))).Total);
    }

    [Fact]
    public async Task Choosing_a_template_shows_the_editor_with_the_variables_of_the_scope()
    {
        var cut = RenderNew();
        cut.WaitForElement("[data-testid=default-body-shape]");
        Assert.Empty(cut.FindAll("[data-testid=template-editor]"));

        var mode = cut.FindComponent<MudRadioGroup<bool>>();
        await cut.InvokeAsync(() => mode.Instance.ValueChanged.InvokeAsync(true));

        cut.WaitForElement("[data-testid=template-editor]");
        Assert.Empty(cut.FindAll("[data-testid=default-body-shape]"));
        Assert.Equal("json", cut.FindComponent<WebhookStudio.Components.CodeEditor>().Instance.Language);
        var variables = cut.FindAll("[data-testid=variable] code").Select(c => c.TextContent).ToList();
        // No items yet: the sample item's fields, and the fixed parts of the model.
        Assert.Contains("item.data.email", variables);
        Assert.Contains("changes[].path", variables);
        Assert.Contains("sample item", cut.Find("[data-testid=variables]").TextContent, StringComparison.Ordinal);

        await ChooseAsync(cut, BodyFormat.Xml, "body-format");
        cut.WaitForAssertion(() => Assert.Equal("xml", cut.FindComponent<WebhookStudio.Components.CodeEditor>().Instance.Language));
    }

    [Fact]
    public async Task A_GET_has_no_body_section_and_offers_parameters_in_headers()
    {
        var cut = RenderNew();
        cut.WaitForElement("[data-testid=body-mode]");
        Assert.DoesNotContain("Pass parameters in headers", cut.Markup, StringComparison.Ordinal);

        await ChooseAsync(cut, SubscriptionMethod.Get, "sub-method");

        cut.WaitForElement("[data-testid=get-no-body]");
        Assert.Empty(cut.FindAll("[data-testid=body-mode]"));
        Assert.Empty(cut.FindAll("[data-testid=default-body-shape]"));
        Assert.Contains("Pass parameters in headers instead of the query string", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_existing_subscription_loads_into_the_form_and_a_save_keeps_its_settings()
    {
        var created = await Service<SubscriptionService>().CreateAsync(new SubscriptionInput
        {
            Name = "Paid invoices", App = "crm", Activities = Activities.ItemUpdated, Method = SubscriptionMethod.Put,
            Url = "https://crm.example.com/invoices/{{ item.externalId }}", Headers = [new NameValue("X-Source", "studio")],
            BodyFormat = BodyFormat.Json, BodyTemplate = """{"email": "{{ item.data.email }}"}""",
        });

        var cut = Render<SubscriptionPage>(p => p.Add(x => x.Id, created.Subscription.Id));

        cut.WaitForElement("[data-testid=template-editor]");
        Assert.Equal("Paid invoices", cut.Find("[data-testid=sub-name]").GetAttribute("value"));
        Assert.Equal("https://crm.example.com/invoices/{{ item.externalId }}", cut.Find("[data-testid=sub-url]").GetAttribute("value"));
        Assert.Equal("X-Source", cut.Find("[data-testid=header-rows] [data-testid=pair-row] input").GetAttribute("value"));

        Type(cut, "[data-testid=sub-name]", "Paid invoices to the CRM");
        Save(cut);

        var saved = await Eventually.Until(async () => (await Service<SubscriptionService>().GetAsync(created.Subscription.Id))!.Subscription,
            s => s.Name == "Paid invoices to the CRM", "the renamed subscription saved");
        Assert.Equal(SubscriptionMethod.Put, saved.Method);
        Assert.Equal(BodyFormat.Json, saved.BodyFormat);
        Assert.Equal([new NameValue("X-Source", "studio")], saved.Headers);
    }
}
