using AngleSharp.Dom;
using Bunit;
using MudBlazor.Services;
using Newtonsoft.Json.Linq;
using WebhookStudio.Features.Sources.Settings;

namespace WebhookStudio.Tests.Components;

/// <summary>Picking the entity, id and title by clicking a payload's tree.</summary>
public sealed class JsonTreePickerTests : BunitContext, IAsyncLifetime
{
    public JsonTreePickerTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    private static JToken Stripe => JToken.Parse(SamplePayloads.Read("stripe-invoice-paid.json"));

    private static JToken Push => JToken.Parse(SamplePayloads.Read("github-push.json"));

    [Fact]
    public void Clicking_a_node_and_use_as_entity_gives_its_absolute_path()
    {
        string? entity = null;
        var tree = Render<JsonTreePicker>(p => p.Add(t => t.Root, Stripe).Add(t => t.OnUseAsEntity, path => entity = path));

        tree.Find("[data-path='$.data.object']").Click();
        Button(tree, "Use as entity").Click();

        Assert.Equal("$.data.object", entity);
    }

    [Fact]
    public void The_id_and_title_are_relative_to_the_entity()
    {
        string? id = null, title = null;
        var tree = Render<JsonTreePicker>(p => p.Add(t => t.Root, Stripe).Add(t => t.EntityPath, "$.data.object")
            .Add(t => t.OnUseAsId, path => id = path).Add(t => t.OnUseAsTitle, path => title = path));

        // The current entity is opened and marked, so its fields can be clicked at once.
        Assert.Contains("entity", tree.Find("[data-path='$.data.object']").TextContent, StringComparison.Ordinal);
        tree.Find("[data-path='$.data.object.id']").Click();
        Button(tree, "Use as unique id").Click();
        tree.Find("[data-path='$.data.object.customer_name']").Click();
        Button(tree, "Use as title").Click();

        Assert.Equal("$.id", id);
        Assert.Equal("$.customer_name", title);
    }

    [Fact]
    public void A_field_outside_the_entity_cannot_be_the_id_and_the_tree_says_why()
    {
        var tree = Render<JsonTreePicker>(p => p.Add(t => t.Root, Stripe).Add(t => t.EntityPath, "$.data.object"));

        tree.Find("[data-path='$.type']").Click();

        Assert.True(Button(tree, "Use as unique id").HasAttribute("disabled"));
        Assert.True(Button(tree, "Use as title").HasAttribute("disabled"));
        Assert.Contains("outside the entity ($.data.object)", tree.Find("[data-testid=tree-actions]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void An_object_cannot_be_the_id_and_a_value_cannot_be_the_entity()
    {
        var tree = Render<JsonTreePicker>(p => p.Add(t => t.Root, Stripe));

        tree.Find("[data-path='$.data']").Click();
        Assert.True(Button(tree, "Use as unique id").HasAttribute("disabled"));
        Assert.Contains("must be text or a number; this is an object", tree.Find("[data-testid=tree-actions]").TextContent, StringComparison.Ordinal);

        tree.Find("[data-path='$.type']").Click();
        Assert.True(Button(tree, "Use as entity").HasAttribute("disabled"));
        Assert.False(Button(tree, "Use as unique id").HasAttribute("disabled"));
    }

    [Fact]
    public void An_array_is_offered_as_one_entity_per_element_and_ids_are_read_inside_each_element()
    {
        string? entity = null, id = null;
        var tree = Render<JsonTreePicker>(p => p.Add(t => t.Root, Push)
            .Add(t => t.OnUseAsEntity, path => entity = path).Add(t => t.OnUseAsId, path => id = path));

        tree.Find("[data-path='$.commits']").Click();
        Button(tree, "Use as entity").Click();
        Assert.Equal("$.commits[*]", entity);

        tree.Render(p => p.Add(t => t.EntityPath, entity));
        // Every commit is an entity; the first opens by itself, and the second one's id is "$.id" too.
        Assert.Equal(2, tree.FindAll(".jt-badge-entity").Count);
        Assert.NotEmpty(tree.FindAll("[data-path='$.commits[0].id']"));
        tree.Find("[data-path='$.commits[1]'] .jt-caret").Click();
        tree.Find("[data-path='$.commits[1].id']").Click();
        Button(tree, "Use as unique id").Click();
        Assert.Equal("$.id", id);
    }

    [Fact]
    public void Deep_nodes_start_collapsed_and_search_opens_the_way_to_matches()
    {
        var tree = Render<JsonTreePicker>(p => p.Add(t => t.Root, Stripe));

        Assert.NotEmpty(tree.FindAll("[data-path='$.data.object']"));
        Assert.Empty(tree.FindAll("[data-path='$.data.object.customer_email']"));
        Assert.Contains("object · 11 fields", tree.Find("[data-path='$.data.object']").TextContent, StringComparison.Ordinal);

        tree.Find("input").Input("ACME-0042");
        tree.WaitForAssertion(() => Assert.NotEmpty(tree.FindAll("[data-path='$.data.object.metadata.crm_account']")));
        Assert.Empty(tree.FindAll("[data-path='$.type']"));
        Assert.Contains("1 match", tree.Markup, StringComparison.Ordinal);
    }

    private static IElement Button(IRenderedComponent<JsonTreePicker> tree, string text) =>
        tree.FindAll("button").Single(b => b.TextContent.Contains(text, StringComparison.Ordinal));
}
