using System.Text.Json.Nodes;
using WebhookStudio.Features.Items;
using WebhookStudio.Features.Outbound.Templates;
using WebhookStudio.Features.Sources;

namespace WebhookStudio.Tests.Outbound;

public sealed class TemplateRendererTests
{
    private static readonly DateTime At = new(2026, 11, 23, 10, 0, 0, DateTimeKind.Utc);

    private static TemplateModel Model(string data = """{"email":"jane@example.com","name":"Jane \"JD\" <Doe>","amount":12345678901234567890123,"price":42.50,"tags":["a","b"],"address":{"city":"Köln"}}""") =>
        TemplateModel.ForItem(ActivityNames.ItemUpdated, At,
            new Item { Id = 7, SourceId = 3, ExternalId = "cus_1", Title = "Jane", Data = data, CreatedAt = At, UpdatedAt = At },
            new Source { Id = 3, Name = "Shop", App = "shopify", Token = "t" },
            """[{"path":"email","old":"j@example.com","new":"jane@example.com"}]""");

    [Fact]
    public async Task Json_templates_escape_values_inside_strings_and_embed_objects_as_json()
    {
        var result = await TemplateRenderer.RenderAsync(
            """{"name": "{{ item.data.name }}", "amount": {{ item.data.amount }}, "price": {{ item.data.price }}, "address": {{ item.data.address }}, "tags": {{ item.data.tags | json }}, "changes": {{ changes }}, "email": {{ item.data.email | json }}, "source": "{{ source.name }}", "event": "{{ event.name }}"}""",
            TemplateFormat.Json, Model());
        Assert.True(result.IsSuccess, result.Error);
        var json = JsonNode.Parse(result.Output!)!;
        Assert.Equal("Jane \"JD\" <Doe>", (string?)json["name"]);
        Assert.Equal("12345678901234567890123", json["amount"]!.ToJsonString());
        // Liquid numbers are decimals: the value stays, trailing zeros do not (the default body keeps the text as sent).
        Assert.Equal("42.5", json["price"]!.ToJsonString());
        Assert.Equal("Köln", (string?)json["address"]!["city"]);
        Assert.Equal("""["a","b"]""", json["tags"]!.ToJsonString());
        Assert.Equal("email", (string?)json["changes"]![0]!["path"]);
        Assert.Equal("jane@example.com", (string?)json["email"]);
        Assert.Equal("Shop", (string?)json["source"]);
        Assert.Equal("item.updated", (string?)json["event"]);
    }

    [Fact]
    public async Task Xml_text_and_form_templates_encode_for_their_format()
    {
        var xml = await TemplateRenderer.RenderAsync("<customer><name>{{ item.data.name }}</name><city>{{ item.data.address.city }}</city></customer>", TemplateFormat.Xml, Model());
        Assert.True(xml.IsSuccess, xml.Error);
        Assert.Equal("Jane \"JD\" <Doe>", System.Xml.Linq.XDocument.Parse(xml.Output!).Root!.Element("name")!.Value);

        var text = await TemplateRenderer.RenderAsync("Hello {{ item.data.name }}{% for t in item.data.tags %} #{{ t }}{% endfor %}", TemplateFormat.Text, Model());
        Assert.Equal("Hello Jane \"JD\" <Doe> #a #b", text.Output);

        var form = await TemplateRenderer.RenderAsync("email={{ item.data.email }}&name={{ item.data.name }}", TemplateFormat.Form, Model());
        var parsed = System.Web.HttpUtility.ParseQueryString(form.Output!);
        Assert.Equal("jane@example.com", parsed["email"]);
        Assert.Equal("Jane \"JD\" <Doe>", parsed["name"]);
    }

    [Fact]
    public async Task Output_that_is_not_well_formed_is_an_error_with_line_and_position()
    {
        var json = await TemplateRenderer.RenderAsync("{\n  \"a\": {{ item.data.name }}\n}", TemplateFormat.Json, Model());
        Assert.False(json.IsSuccess);
        Assert.Contains("not valid JSON at line 2", json.Error, StringComparison.Ordinal);

        var xml = await TemplateRenderer.RenderAsync("<a>\n<b>{{ item.data.email }}</a>", TemplateFormat.Xml, Model());
        Assert.False(xml.IsSuccess);
        Assert.Contains("not well-formed XML at line 2", xml.Error, StringComparison.Ordinal);

        var syntax = await TemplateRenderer.RenderAsync("{% if item.data.email %}x", TemplateFormat.Text, Model());
        Assert.StartsWith("Template syntax error", syntax.Error, StringComparison.Ordinal);

        var filter = await TemplateRenderer.RenderAsync("{{ item.data.email | no_such_filter }}", TemplateFormat.Text, Model());
        Assert.False(filter.IsSuccess);
        Assert.Contains("no_such_filter", filter.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"a\": {{ item.data.x }} }", null)]
    [InlineData("{\"a\": \"{{ item.data.x }}\"}", null)]
    [InlineData("{\"a\": [{% for t in item.data.tags %}{{ t | json }}{% unless forloop.last %},{% endunless %}{% endfor %}]}", null)]
    [InlineData("{\"a\": {{ item.data.x }}", "not valid JSON")]
    [InlineData("{\"a\": 1,}", "not valid JSON")]
    public async Task The_save_check_refuses_only_json_that_no_item_can_make_valid(string template, string? error)
    {
        var problem = await TemplateRenderer.CheckAsync(template, TemplateFormat.Json);
        if (error is null) Assert.Null(problem);
        else Assert.Contains(error, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Unresolvable_placeholders_are_named()
    {
        var variables = new VariableList(
        [
            new("item.data.email", "string", "a"), new("item.data.tags", "array", "[]"), new("item.id", "number", "1"),
            new("source.name", "string", "x"), new("event.name", "string", "item.updated"),
        ], FromSample: false);
        var problems = TemplateVariables.Unresolved(
            "{{ item.data.email }} {{ item.data.phone }} {{ customer.name }} {{ item.data.tags.size }} {% for c in changes %}{{ c.path }}{% endfor %} {% assign x = 1 %}{{ x }} {{ event.name }}",
            variables);
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("item.data.phone", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("customer.name", StringComparison.Ordinal));
        Assert.Empty(TemplateVariables.Unresolved("{{ item.data.phone }}", variables with { FromSample = true }));
    }
}
