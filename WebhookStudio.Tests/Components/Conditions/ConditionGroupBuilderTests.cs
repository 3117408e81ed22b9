using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;
using MudBlazor.Services;
using WebhookStudio.Features.Sources.Filtering;
using FilterOperator = WebhookStudio.Features.Sources.Filtering.FilterOperator;

namespace WebhookStudio.Tests.Components.Conditions;

public sealed class ConditionGroupBuilderTests : BunitContext, IAsyncLifetime
{
    public ConditionGroupBuilderTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    private IRenderedComponent<BuilderHarness> RenderBuilder(string? json = null, bool showMissing = false, IReadOnlyList<string>? fields = null) =>
        Render<BuilderHarness>(p => p
            .Add(h => h.Initial, json is null ? null : ConditionGroup.Parse(json))
            .Add(h => h.ShowMissing, showMissing)
            .Add(h => h.Fields, fields ?? ["$.type", "$.data.object.id", "$.data.object.amount_paid"]));

    // Found and clicked in one renderer turn: a re-render in between would retire the button's handler.
    private static void Click(IRenderedComponent<BuilderHarness> cut, string testId, int index = 0)
    {
        cut.WaitForState(() => cut.FindAll($"[data-testid={testId}]").Count > index);
        cut.InvokeAsync(() => cut.FindAll($"[data-testid={testId}]")[index].Click()).GetAwaiter().GetResult();
    }

    // MudAutocomplete commits typed text on blur through JS; the test commits it as that would.
    private static void SetPath(IRenderedComponent<BuilderHarness> cut, int row, string path)
    {
        var emitted = cut.Instance.Emitted.Count;
        // A row added by the previous click may still be rendering on a loaded machine.
        cut.WaitForState(() => cut.FindComponents<MudAutocomplete<string>>().Count > row);
        var field = cut.FindComponents<MudAutocomplete<string>>()[row];
        _ = cut.InvokeAsync(() => field.Instance.ValueChanged.InvokeAsync(path));
        cut.WaitForState(() => cut.Instance.Emitted.Count > emitted);
    }

    private static void SetOperator(IRenderedComponent<BuilderHarness> cut, int row, FilterOperator op)
    {
        var emitted = cut.Instance.Emitted.Count;
        var select = cut.FindComponents<MudSelect<FilterOperator>>()[row];
        _ = cut.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(op));
        cut.WaitForState(() => cut.Instance.Emitted.Count > emitted);
    }

    // The value box commits while the user types, once they pause (debounced), so a live backtest follows along.
    private static void SetValue(IRenderedComponent<BuilderHarness> cut, int row, string value)
    {
        var emitted = cut.Instance.Emitted.Count;
        cut.FindAll("[data-testid=condition-row]")[row].QuerySelector("input[data-testid=condition-value-input]")!.Input(value);
        cut.WaitForState(() => cut.Instance.Emitted.Count > emitted, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void An_empty_builder_invites_a_first_condition_and_adding_one_emits_the_json_form()
    {
        var cut = RenderBuilder();
        Assert.Contains("No conditions yet", cut.Find("[data-testid=group-empty]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=condition-row]"));

        Click(cut, "add-condition");
        Assert.Equal("""{"all":[{"path":"","op":"equals"}]}""", cut.Instance.LastJson);
        // A row just added is not an error yet.
        Assert.Empty(cut.FindAll(".mud-input-error"));

        SetPath(cut, 0, "$.type");
        SetValue(cut, 0, "invoice.paid");
        Assert.Equal("""{"all":[{"path":"$.type","op":"equals","value":"invoice.paid"}]}""", cut.Instance.LastJson);
    }

    [Fact]
    public void The_mode_toggle_switches_between_all_and_any()
    {
        var cut = RenderBuilder("""{"all":[{"path":"$.type","op":"equals","value":"a"},{"path":"$.type","op":"equals","value":"b"}]}""");
        Assert.Equal(["and"], cut.FindAll(".joiner").Select(j => j.TextContent));

        cut.FindAll("[data-testid=group-mode] button").Single(b => b.TextContent.Contains("Any of", StringComparison.Ordinal)).Click();

        Assert.Equal("""{"any":[{"path":"$.type","op":"equals","value":"a"},{"path":"$.type","op":"equals","value":"b"}]}""", cut.Instance.LastJson);
        Assert.Equal(["or"], cut.FindAll(".joiner").Select(j => j.TextContent));
    }

    [Fact]
    public void A_nested_group_starts_with_the_other_mode_and_takes_its_own_conditions()
    {
        var cut = RenderBuilder("""{"all":[{"path":"$.type","op":"equals","value":"invoice.paid"}]}""");

        Click(cut, "add-group");
        Assert.Equal("""{"all":[{"path":"$.type","op":"equals","value":"invoice.paid"},{"any":[{"path":"","op":"equals"}]}]}""", cut.Instance.LastJson);
        Assert.Equal(2, cut.FindAll("[data-testid=condition-group]").Count);

        SetPath(cut, 1, "$.data.object.amount_paid");
        SetOperator(cut, 1, FilterOperator.GreaterThan);
        SetValue(cut, 1, "1000");
        Click(cut, "add-condition", 0); // the nested group's own button: the root's comes after all its children
        SetPath(cut, 2, "livemode");
        SetOperator(cut, 2, FilterOperator.NotExists);

        Assert.Equal(
            """{"all":[{"path":"$.type","op":"equals","value":"invoice.paid"},{"any":[{"path":"$.data.object.amount_paid","op":"greater_than","value":"1000"},{"path":"livemode","op":"not_exists"}]}]}""",
            cut.Instance.LastJson);
    }

    [Fact]
    public void Removing_conditions_and_groups_emits_the_rest_and_null_when_nothing_is_left()
    {
        var cut = RenderBuilder("""{"all":[{"path":"a","op":"exists"},{"any":[{"path":"b","op":"exists"},{"path":"c","op":"exists"}]}]}""");

        Click(cut, "remove-condition", 1); // b, inside the nested group
        Assert.Equal("""{"all":[{"path":"a","op":"exists"},{"any":[{"path":"c","op":"exists"}]}]}""", cut.Instance.LastJson);

        Click(cut, "remove-group");
        Assert.Equal("""{"all":[{"path":"a","op":"exists"}]}""", cut.Instance.LastJson);

        Click(cut, "remove-condition");
        Assert.Equal("null", cut.Instance.LastJson);
        cut.Find("[data-testid=group-empty]");
    }

    [Fact]
    public void Exists_needs_no_value_and_the_value_input_goes_away()
    {
        var cut = RenderBuilder("""{"all":[{"path":"$.livemode","op":"equals","value":"false"}]}""");
        Assert.Single(cut.FindAll("input[data-testid=condition-value-input]"));

        SetOperator(cut, 0, FilterOperator.Exists);

        Assert.Equal("""{"all":[{"path":"$.livemode","op":"exists"}]}""", cut.Instance.LastJson);
        Assert.Empty(cut.FindAll("input[data-testid=condition-value-input]"));
        Assert.Contains("no value needed", cut.Find("[data-testid=condition-value]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Is_one_of_builds_a_list_from_typed_and_pasted_values_shown_as_removable_chips()
    {
        var cut = RenderBuilder("""{"all":[{"path":"$.status","op":"equals","value":"paid"}]}""");

        SetOperator(cut, 0, FilterOperator.In);
        Assert.Equal("""{"all":[{"path":"$.status","op":"in","value":["paid"]}]}""", cut.Instance.LastJson);

        cut.Find("input[data-testid=condition-values-input]").Change("open, void ,paid");
        Assert.Equal("""{"all":[{"path":"$.status","op":"in","value":["paid","open","void"]}]}""", cut.Instance.LastJson);
        Assert.Equal(["paid", "open", "void"], cut.FindComponents<MudChip<string>>().Select(c => c.Instance.Text));
        Assert.Equal("", cut.Find("input[data-testid=condition-values-input]").GetAttribute("value") ?? "");

        cut.FindAll("[data-testid=condition-values] .mud-chip-close-button")[1].Click();
        Assert.Equal("""{"all":[{"path":"$.status","op":"in","value":["paid","void"]}]}""", cut.Instance.LastJson);
        Assert.Equal("is one of", cut.Find("[data-testid=condition-row] .condition-op input").GetAttribute("value"));
    }

    [Fact]
    public void An_invalid_regex_is_reported_next_to_its_value()
    {
        var cut = RenderBuilder("""{"all":[{"path":"$.type","op":"equals","value":"ok"},{"path":"$.type","op":"matches","value":"invoice\\.(paid"}]}""");

        var rows = cut.FindAll("[data-testid=condition-row]");
        Assert.Empty(rows[0].QuerySelectorAll(".mud-input-error"));
        var message = rows[1].QuerySelector("[data-testid=condition-value] .mud-input-helper-text")!.TextContent;
        Assert.StartsWith("Invalid regular expression", message.Trim(), StringComparison.Ordinal);

        SetValue(cut, 1, "^invoice\\.(paid|created)$");
        // The field's error state clears on its own render, a moment after the value was emitted.
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=condition-value] .mud-input-error")));
        Assert.Equal("""{"all":[{"path":"$.type","op":"equals","value":"ok"},{"path":"$.type","op":"matches","value":"^invoice\\.(paid|created)$"}]}""", cut.Instance.LastJson);
    }

    private const string UnfinishedFilter = """{"all":[{"path":"","op":"equals"},{"path":"$.amount","op":"greater_than","value":"lots"}]}""";

    [Fact]
    public void While_building_only_wrong_input_is_pointed_out()
    {
        var cut = RenderBuilder(UnfinishedFilter);
        var errors = cut.FindAll(".mud-input-helper-text").Select(e => e.TextContent.Trim()).Where(t => t.Length > 0).ToList();
        Assert.Equal(["“greater than” needs a number or a date (such as 1000 or 2026-01-31), not “lots”"], errors);
    }

    [Fact]
    public void When_asked_missing_fields_and_values_are_pointed_out_too()
    {
        var cut = RenderBuilder(UnfinishedFilter, showMissing: true);
        var firstRow = cut.FindAll("[data-testid=condition-row]")[0];
        Assert.Contains("Choose a field", firstRow.QuerySelector(".condition-field")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("“equals” needs a value to compare with", firstRow.QuerySelector("[data-testid=condition-value]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void An_existing_nested_filter_renders_every_row_and_an_edit_keeps_the_rest_as_it_was()
    {
        const string json = """{"any":[{"path":"$.type","op":"in","value":["invoice.paid","invoice.created"]},{"all":[{"path":"$.data.object.currency","op":"equals","value":"eur"},{"any":[{"path":"$.livemode","op":"not_exists"},{"path":"$.data.object.amount_paid","op":"less_than","value":"5000"}]}]}]}""";
        var cut = RenderBuilder(json);

        Assert.Equal(3, cut.FindAll("[data-testid=condition-group]").Count);
        Assert.Equal(4, cut.FindAll("[data-testid=condition-row]").Count);
        Assert.Equal(["$.type", "$.data.object.currency", "$.livemode", "$.data.object.amount_paid"],
            cut.FindComponents<MudAutocomplete<string>>().Select(a => a.Instance.GetState(x => x.Value)));
        Assert.Equal([FilterOperator.In, FilterOperator.Equals, FilterOperator.NotExists, FilterOperator.LessThan],
            cut.FindComponents<MudSelect<FilterOperator>>().Select(s => s.Instance.GetState(x => x.Value)));
        Assert.Equal(["invoice.paid", "invoice.created"], cut.FindComponents<MudChip<string>>().Select(c => c.Instance.Text));
        // Three levels deep: the innermost group cannot nest another one.
        Assert.Equal(2, cut.FindAll("[data-testid=add-group]").Count);

        SetValue(cut, 3, "6000");
        Assert.Equal(json.Replace("\"5000\"", "\"6000\"", StringComparison.Ordinal), cut.Instance.LastJson);
    }

    [Fact]
    public async Task Field_suggestions_come_from_the_given_paths_and_any_typed_path_is_kept()
    {
        var cut = RenderBuilder("""{"all":[{"path":"","op":"exists"}]}""", fields: ["$.type", "$.data.object.id", "$.data.object.customer"]);
        var field = cut.FindComponent<MudAutocomplete<string>>();

        var search = field.Instance.SearchFunc!;
        var found = await search("object", CancellationToken.None)!;
        Assert.Equal(["$.data.object.id", "$.data.object.customer"], found);

        SetPath(cut, 0, "$.anything.typed");
        Assert.Equal("""{"all":[{"path":"$.anything.typed","op":"exists"}]}""", cut.Instance.LastJson);
    }
}
