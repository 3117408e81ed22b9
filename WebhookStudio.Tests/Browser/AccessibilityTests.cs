using System.Text;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Browser;

/// <summary>
/// axe-core on the most used pages, with data in them, signed in as an Admin and as a Tester: no serious or critical
/// violation, and headings that go down one level at a time.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    private static readonly HashSet<string> Blocking = ["serious", "critical"];

    [Fact]
    public async Task The_most_used_pages_have_no_serious_or_critical_axe_violations_for_an_admin_or_a_tester()
    {
        await using var sink = await LocalSink.StartAsync();
        Studio.With("Outbound:AllowedNetworks:0", "127.0.0.0/8");
        var baseAddress = Studio.Start();
        var report = new StringBuilder();

        var page = await Browser.NewPageAsync(baseAddress);
        await page.GotoAsync("/setup");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        await CheckAsync(page, "first-run setup", report);

        var sample = await SampleStudio.FillAsync(Studio, sink);
        await page.GotoAsync("/account/login");
        await CheckAsync(page, "sign-in", report);

        (string Path, string Shows)[] pages =
        [
            ("/", "Payloads received"),
            ("/sources", "Shop orders"),
            ($"/sources/{sample.SourceId}", "1 created, 0 updated"),
            ($"/sources/{sample.SourceId}/setup", "See the payload"),
            ("/items", "Grace Hopper"),
            ($"/items/{sample.ItemId}", "Ada Lovelace"),
            ("/subscriptions", "Warehouse"),
            ($"/subscriptions/{sample.SubscriptionId}", "CRM orders"),
            ("/deliveries", "Warehouse"),
            ($"/deliveries/{sample.DeliveryId}", "CRM orders"),
            ("/bins", "CRM staging"),
            ($"/bins/{sample.BinId}", "/orders"),
        ];
        await BrowserFixture.SignInAsync(page, SampleStudio.AdminEmail, SampleStudio.AdminPassword);
        foreach (var (path, shows) in pages.Append(("/users", SampleStudio.TesterEmail)))
            await VisitAndCheckAsync(page, path, shows, "Admin", report);

        // The Tester works in the dark theme, so both palettes are checked.
        var tester = await Browser.NewPageAsync(baseAddress);
        await tester.AddInitScriptAsync("localStorage.setItem('studio.theme', 'dark')");
        await BrowserFixture.SignInAsync(tester, SampleStudio.TesterEmail, SampleStudio.TesterPassword);
        foreach (var (path, shows) in pages)
            await VisitAndCheckAsync(tester, path, shows, "Tester (dark theme)", report);

        Assert.True(report.Length == 0, "Accessibility violations:\n" + report);
    }

    private static string Shorten(string html) => html.Length <= 160 ? html : html[..160] + "…";

    private static async Task VisitAndCheckAsync(IPage page, string path, string shows, string role, StringBuilder report)
    {
        await page.GotoAsync(path);
        await BrowserFixture.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.Locator("main").GetByText(shows).First).ToBeVisibleAsync();
        await CheckAsync(page, $"{path} as {role}", report);
    }

    private static async Task CheckAsync(IPage page, string where, StringBuilder report)
    {
        // Colours are measured once they are final: the theme fades in, and spinners that turn forever do not count.
        await page.WaitForFunctionAsync("() => document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity)");
        var result = await page.RunAxe();
        foreach (var violation in result.Violations.Where(v => Blocking.Contains(v.Impact) || v.Id == "heading-order"))
            foreach (var node in violation.Nodes)
                report.AppendLine($"{where}: [{violation.Impact}] {violation.Id} at {node.Target}: {violation.Help}. {Shorten(node.Html)} "
                    + string.Join(" ", node.Any.Concat(node.All).Concat(node.None).Select(check => check.Message)));
    }
}
