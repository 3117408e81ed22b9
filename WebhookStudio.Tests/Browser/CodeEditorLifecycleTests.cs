using System.Text;
using Microsoft.Playwright;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Browser;

/// <summary>Monaco editors on live pages: created only while their place exists, disposed with their page, never ending the circuit.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CodeEditorLifecycleTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Fact]
    public async Task Requests_arriving_on_a_bin_page_just_opened_leave_the_page_live_and_error_free()
    {
        var baseAddress = Studio.Start();
        await Studio.CreateUserAsync("editor@example.com", "editor-pass-1", "Editor");
        var api = await ApiTestClient.ForRoleAsync(Studio, "Editor");
        var page = await Browser.NewPageAsync(baseAddress);
        var errors = CollectErrors(page);
        await BrowserFixture.SignInAsync(page, "editor@example.com", "editor-pass-1");
        using var sender = new HttpClient();

        for (var round = 1; round <= 4; round++)
        {
            var bin = await ApiTestClient.ExpectAsync(await api.Http.PostAsync($"{ApiTestClient.V1}/bins",
                new StringContent($$"""{"name":"Burst {{round}}"}""", Encoding.UTF8, "application/json")), System.Net.HttpStatusCode.Created);
            var url = bin.GetProperty("url").GetString()!;
            await page.GotoAsync($"/bins/{ApiTestClient.Id(bin)}");
            // No wait for the live connection: the requests land while the page starts, as they do when a sender is busy.
            // JSON bodies open an editor, a GET without a body closes it again.
            await Task.WhenAll(Enumerable.Range(1, 6).Select(i => i % 3 == 0
                ? sender.GetAsync($"{url}/ping-{i}")
                : sender.PostAsync($"{url}/orders", new StringContent($$"""{"order":{{i}}}""", Encoding.UTF8, "application/json"))));
            await WithErrorsAsync(errors, () => Assertions.Expect(page.Locator("[data-testid=bin-request]")).ToHaveCountAsync(6));

            // Still live: one more request shows without a reload, and its body opens in an editor.
            (await sender.PostAsync($"{url}/last", new StringContent("""{"last":true}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
            await Assertions.Expect(page.Locator("[data-testid=bin-request]")).ToHaveCountAsync(7);
            await page.Locator("[data-testid=bin-request]", new() { HasText = "/last" }).ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=bin-request-body] .view-lines")).ToContainTextAsync("\"last\": true");
        }

        await Assertions.Expect(page.Locator("#components-reconnect-modal")).Not.ToBeVisibleAsync();
        Assert.True(errors.Count == 0, "Browser errors:\n" + string.Join("\n", errors));
    }

    [Fact]
    public async Task Editors_of_pages_left_behind_are_disposed()
    {
        await using var sink = await LocalSink.StartAsync();
        var (sample, baseAddress) = await SampleStudio.StartAsync(Studio, sink);
        var page = await Browser.NewPageAsync(baseAddress);
        var errors = CollectErrors(page);
        await BrowserFixture.SignInAsync(page, SampleStudio.AdminEmail, SampleStudio.AdminPassword);
        await BrowserFixture.WaitForInteractiveAsync(page);

        (string Path, string Heading)[] pagesWithEditors =
        [
            ($"items/{sample.ItemId}", "Ada Lovelace"), ($"bins/{sample.BinId}", "CRM staging"),
            ($"deliveries/{sample.DeliveryId}", $"Delivery #{sample.DeliveryId}"), ($"sources/{sample.SourceId}/payloads/{sample.PayloadId}", $"Payload #{sample.PayloadId}"),
        ];
        for (var lap = 1; lap <= 3; lap++)
        {
            foreach (var (path, heading) in pagesWithEditors)
            {
                // Navigation inside the live connection, as a click on a link does: the page before is disposed, not reloaded.
                await page.EvaluateAsync("path => Blazor.navigateTo(path)", path);
                await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync(heading);
                var editors = page.Locator("main .code-editor");
                await Assertions.Expect(editors.First).ToBeVisibleAsync();
                var onPage = await editors.CountAsync();
                await Assertions.Expect(editors.Locator(".view-lines")).ToHaveCountAsync(onPage);
                // The page left behind is disposed right after the switch; its editors go with it.
                await Eventually.Until(() => page.EvaluateAsync<int>("() => monaco.editor.getEditors().length"), alive => alive == onPage,
                    $"as many live Monaco editors as /{path} shows ({onPage}), lap {lap}");
            }
        }
        Assert.True(errors.Count == 0, "Browser errors:\n" + string.Join("\n", errors));
    }

    private static async Task WithErrorsAsync(List<string> errors, Func<Task> expectation)
    {
        try
        {
            await expectation();
        }
        catch (PlaywrightException failed)
        {
            throw new Xunit.Sdk.XunitException(failed.Message + "\nBrowser errors:\n" + string.Join("\n", errors));
        }
    }

    private static List<string> CollectErrors(IPage page)
    {
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            // Monaco's background workers log it when the page that started them goes before they finished loading; the
            // page and its live connection are not affected.
            var fromMonacoWorker = message.Location.StartsWith("blob:", StringComparison.Ordinal) || message.Location.Contains("/vs/base/worker/", StringComparison.Ordinal);
            if (message.Type == "error" && !fromMonacoWorker)
                errors.Add($"{message.Text} ({message.Location})");
        };
        page.PageError += (_, error) => errors.Add(error);
        return errors;
    }
}
