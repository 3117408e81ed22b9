using System.Text.Json;
using Microsoft.AspNetCore.Components;
using WebhookStudio.Api;
using WebhookStudio.Features.Items;
using WebhookStudio.Features.Outbound.Templates;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Subscriptions;

public partial class SubscriptionTryPanel
{
    [Inject] private SubscriptionTester Tester { get; set; } = default!;
    [Inject] private ItemService Items { get; set; } = default!;
    [Inject] private Account.UserAccess Access { get; set; } = default!;

    /// <summary>The saved subscription; null while it is being created (Example only).</summary>
    [Parameter] public int? SubscriptionId { get; set; }
    [Parameter] public int? SourceId { get; set; }
    [Parameter] public Activities Activities { get; set; }

    /// <summary>The form as it is now; throws <see cref="ValidationException"/> when it cannot be rendered.</summary>
    [Parameter, EditorRequired] public Func<Task<Subscription>> Draft { get; set; } = default!;

    /// <summary>Saves unsaved changes before a Test; false when the form was refused.</summary>
    [Parameter] public Func<Task<bool>>? SaveFirst { get; set; }
    [Parameter] public bool Dirty { get; set; }
    [Parameter] public bool CanSave { get; set; }

    private string mode = "latest";
    private string eventName = "";
    private Item? pickedItem;
    private string activityJson = """
        {
          "event": "item.updated",
          "item": { "data": { "email": "jane.doe@example.com", "status": "paid" } },
          "changes": [ { "path": "$.status", "old": "open", "new": "paid" } ]
        }
        """;
    private bool busy;
    private IReadOnlyList<string>? problems;
    private ExampleResult? example;
    private TestResult? test;

    private TestActivity Activity() => new(
        ItemId: mode == "item" ? pickedItem?.Id : null,
        ActivityJson: mode == "json" ? activityJson : null,
        Event: eventName.Length == 0 ? null : eventName);

    private async Task ExampleAsync() => await RunAsync(async () =>
    {
        if (!ItemChosen()) return;
        var draft = await Draft();
        example = await Tester.ExampleAsync(draft, Activity());
    });

    private async Task TestAsync() => await RunAsync(async () =>
    {
        if (SubscriptionId is not { } id || !ItemChosen()) return;
        if (Dirty && CanSave && SaveFirst is not null && !await SaveFirst())
        {
            problems = ["The subscription could not be saved: fix the fields marked in red above, then test again."];
            return;
        }
        test = await Tester.TestAsync(id, Activity());
        example = test?.Example;
        if (test is null) problems = ["This subscription no longer exists."];
    });

    /// <summary>Writes the test's answer onto its item, after the user has seen what the mapping would write.</summary>
    private async Task ApplyMappingAsync()
    {
        if (SubscriptionId is not { } id || test is not { Example.ItemId: { } itemId, Result.Response: { } answer }) return;
        busy = true;
        try
        {
            await Access.DemandAsync(Account.StudioPolicies.Edit);
            var outcome = await Tester.ApplyMappingAsync(id, itemId, answer.Body, new MappingCause(test.DeliveryId, await Access.UserNameAsync() ?? "someone"));
            test = outcome is null ? test : test with { Mapping = outcome };
            if (outcome is null) problems = ["This subscription no longer exists."];
        }
        finally
        {
            busy = false;
        }
    }

    private bool ItemChosen()
    {
        if (mode != "item" || pickedItem is not null) return true;
        problems = ["Pick an item first, or use the latest one."];
        return false;
    }

    private async Task RunAsync(Func<Task> action)
    {
        busy = true;
        problems = null;
        example = null;
        test = null;
        try
        {
            await action();
        }
        catch (ValidationException invalid)
        {
            problems = invalid.Errors.SelectMany(e => e.Value.Select(m => $"{Field(e.Key)}: {m}")).ToList();
        }
        finally
        {
            busy = false;
        }
    }

    /// <summary>The service's field keys in words, so "bodyTemplate: …" reads as "Body template: …".</summary>
    private static string Field(string key) => key switch
    {
        "bodyTemplate" => "Body template",
        "url" => "URL",
        "activity" => "Activity JSON",
        "itemId" => "Item",
        "event" => "Activity",
        "app" => "App label",
        "events" => "Triggering activities",
        _ when key.StartsWith("headers", StringComparison.Ordinal) => "Header " + key["headers".Length..],
        _ when key.StartsWith("queryParameters", StringComparison.Ordinal) => "Query parameter " + key["queryParameters".Length..],
        _ => key,
    };

    private async Task<IEnumerable<Item>> SearchItemsAsync(string? text, CancellationToken cancellationToken)
    {
        var (items, _) = await Items.ListAsync(new ItemQuery(SourceId, string.IsNullOrWhiteSpace(text) ? null : text.Trim()), new PageRequest(1, 20), cancellationToken);
        return items;
    }

    private static string ItemLabel(Item? item) => item is null ? "" : $"{item.Title ?? item.ExternalId} · {item.ExternalId} (#{item.Id})";

    private static string MappingText(MappingOutcome mapping) =>
        string.Join(" ", new[]
        {
            mapping.Written.Count > 0 && mapping.Preview ? "The response mapping would write onto the item: " + string.Join(", ", mapping.Written) + ". Nothing was changed yet." : null,
            mapping.Written.Count > 0 && !mapping.Preview ? "Written onto the item: " + string.Join(", ", mapping.Written) + "." : null,
            mapping.Problems.Count > 0 ? string.Join(" ", mapping.Problems) : null,
        }.Where(t => t is not null));

    /// <summary>JSON answers indented for reading; anything else as received.</summary>
    internal static string Pretty(string body)
    {
        var trimmed = body.TrimStart();
        if (trimmed.Length == 0 || trimmed[0] is not ('{' or '[')) return body;
        try
        {
            using var document = JsonDocument.Parse(body);
            return JsonSerializer.Serialize(document.RootElement, StudioJson.Indented);
        }
        catch (JsonException)
        {
            return body;
        }
    }

}
