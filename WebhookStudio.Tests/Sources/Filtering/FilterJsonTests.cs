using System.Text.Json;
using WebhookStudio.Features.Sources.Filtering;

namespace WebhookStudio.Tests.Sources.Filtering;

public class FilterJsonTests
{
    private const string Sample = """
        {"all":[{"path":"$.type","op":"equals","value":"invoice.paid"},
                {"any":[{"path":"$.data.object.amount_paid","op":"greater_than","value":"1000"},
                        {"path":"$.livemode","op":"exists"}]}]}
        """;

    [Fact]
    public void Parse_reads_groups_and_conditions_of_the_documented_form()
    {
        var group = ConditionGroup.Parse(Sample);

        Assert.Equal(GroupMode.All, group.Mode);
        Assert.Equal(2, group.Children.Count);
        var type = Assert.IsType<Condition>(group.Children[0]);
        Assert.Equal(("$.type", FilterOperator.Equals, "invoice.paid"), (type.Path, type.Op, type.Value));
        Assert.Null(type.Values);
        var any = Assert.IsType<ConditionGroup>(group.Children[1]);
        Assert.Equal(GroupMode.Any, any.Mode);
        var exists = Assert.IsType<Condition>(any.Children[1]);
        Assert.Equal(("$.livemode", FilterOperator.Exists, (string?)null), (exists.Path, exists.Op, exists.Value));
    }

    [Fact]
    public void ToJson_writes_the_documented_form_compactly()
    {
        var compact = string.Concat(Sample.Where(c => !char.IsWhiteSpace(c)));

        Assert.Equal(compact, ConditionGroup.Parse(Sample).ToJson());
    }

    [Fact]
    public void Every_operator_round_trips_with_its_value_shape()
    {
        var group = ConditionGroup.All(
            new Condition("$.a", FilterOperator.Equals, "x"),
            new Condition("$.a", FilterOperator.NotEquals, "x"),
            new Condition("$.a", FilterOperator.Contains, "x"),
            new Condition("$.a", FilterOperator.StartsWith, "x"),
            new Condition("$.a", FilterOperator.EndsWith, "x"),
            new Condition("$.a", FilterOperator.GreaterThan, "1"),
            new Condition("$.a", FilterOperator.LessThan, "2026-01-01T00:00:00Z"),
            new Condition("$.a", FilterOperator.Exists),
            new Condition("$.a", FilterOperator.NotExists),
            new Condition("$.a", FilterOperator.Matches, "^a+$"),
            new Condition("$.a", FilterOperator.In, values: ["a", "b"]),
            ConditionGroup.Any(ConditionGroup.All(new Condition("type", FilterOperator.Equals, ""))));

        var json = group.ToJson();
        var parsed = ConditionGroup.Parse(json);

        Assert.Equal(group, parsed);
        Assert.Equal(json, parsed.ToJson());
        Assert.Contains("""{"path":"$.a","op":"in","value":["a","b"]}""", json, StringComparison.Ordinal);
        Assert.Contains("""{"path":"$.a","op":"not_exists"}""", json, StringComparison.Ordinal);
        Assert.Contains("""{"path":"type","op":"equals","value":""}""", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Op_strings_are_the_documented_ones()
    {
        Assert.Equal(
            ["equals", "not_equals", "contains", "starts_with", "ends_with", "greater_than", "less_than", "exists", "not_exists", "matches", "in"],
            FilterOperators.All);
        Assert.All(Enum.GetValues<FilterOperator>(), op => Assert.True(FilterOperators.TryParse(op.ToOpString(), out var back) && back == op));
        Assert.False(FilterOperators.TryParse("Equals", out _));
    }

    [Fact]
    public void Values_stay_readable_in_the_stored_form()
    {
        var group = ConditionGroup.All(new Condition("$.description", FilterOperator.Contains, "€49 <b> \"Pro\" é"));

        Assert.Equal("""{"all":[{"path":"$.description","op":"contains","value":"€49 <b> \"Pro\" é"}]}""", group.ToJson());
        Assert.Equal(group, ConditionGroup.Parse(group.ToJson()));
    }

    [Fact]
    public void Number_and_boolean_literals_are_read_as_their_text()
    {
        var group = ConditionGroup.Parse("""{"any":[{"path":"$.n","op":"greater_than","value":1000.50},{"path":"$.b","op":"in","value":[true,"x",2]}]}""");

        Assert.Equal("1000.50", Assert.IsType<Condition>(group.Children[0]).Value);
        Assert.Equal(["true", "x", "2"], Assert.IsType<Condition>(group.Children[1]).Values!);
    }

    [Fact]
    public void A_null_value_is_the_same_as_no_value()
    {
        var condition = Assert.IsType<Condition>(ConditionGroup.Parse("""{"all":[{"path":"x","op":"exists","value":null}]}""").Children[0]);

        Assert.Null(condition.Value);
        Assert.Null(condition.Values);
    }

    [Fact]
    public void Nodes_serialize_through_their_base_type_and_inside_other_objects()
    {
        FilterNode node = new Condition("$.a", FilterOperator.Exists);
        Assert.Equal("""{"path":"$.a","op":"exists"}""", JsonSerializer.Serialize(node));

        var source = new SourceSettings("Stripe", ConditionGroup.Any(new Condition("type", FilterOperator.Equals, "invoice.paid")));
        var json = JsonSerializer.Serialize(source, JsonSerializerOptions.Web);
        Assert.Equal("""{"name":"Stripe","filter":{"any":[{"path":"type","op":"equals","value":"invoice.paid"}]}}""", json);
        Assert.Equal(source.Filter, JsonSerializer.Deserialize<SourceSettings>(json, JsonSerializerOptions.Web)!.Filter);
        Assert.Null(JsonSerializer.Deserialize<SourceSettings>("""{"name":"x","filter":null}""", JsonSerializerOptions.Web)!.Filter);
    }

    [Theory]
    [InlineData("""{"all":[{"path":"$.a","op":"eq","value":"x"}]}""", "all[0].op: unknown op 'eq'; expected one of: equals, not_equals")]
    [InlineData("""{"all":[{"any":[{"path":"$.a"}]}]}""", "all[0].any[0]: a condition needs an 'op'")]
    [InlineData("""{"all":[{"op":"exists"}]}""", "all[0]: a condition needs a 'path'")]
    [InlineData("""{"all":[{}]}""", "all[0]: an empty object is neither a group nor a condition")]
    [InlineData("""{"all":["type"]}""", "all[0]: expected a group {\"all\":[…]} / {\"any\":[…]} or a condition {\"path\":…,\"op\":…}, found a string")]
    [InlineData("""{"all":[{"path":"$.a","op":"exists","negate":true}]}""", "all[0]: unknown property 'negate'")]
    [InlineData("""{"all":[],"any":[]}""", "the root: a group has either 'all' or 'any', not both")]
    [InlineData("""{"all":[],"path":"$.a"}""", "the root: a node is either a group")]
    [InlineData("""{"all":{"path":"$.a","op":"exists"}}""", "the root: 'all' must be an array of conditions and groups, found an object")]
    [InlineData("""{"all":[{"path":1,"op":"exists"}]}""", "all[0].path: expected a string, found a number")]
    [InlineData("""{"all":[{"path":"$.a","op":"in","value":[{"x":1}]}]}""", "all[0].value[0]: expected a string, found an object")]
    [InlineData("""{"path":"$.a","op":"exists"}""", "A filter must be a group")]
    [InlineData("""[]""", "the root: expected a group")]
    public void Malformed_filters_are_rejected_with_the_location(string json, string message)
    {
        var error = Assert.Throws<JsonException>(() => ConditionGroup.Parse(json));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_filter_is_rejected_by_Parse()
    {
        Assert.Throws<JsonException>(() => ConditionGroup.Parse("null"));
    }

    [Fact]
    public void Equality_is_structural()
    {
        Assert.Equal(ConditionGroup.Parse(Sample), ConditionGroup.Parse(Sample));
        Assert.NotEqual(
            ConditionGroup.All(new Condition("$.a", FilterOperator.In, values: ["a"])),
            ConditionGroup.All(new Condition("$.a", FilterOperator.In, values: ["b"])));
        Assert.NotEqual(ConditionGroup.All(), ConditionGroup.Any());
    }

    private sealed record SourceSettings(string Name, ConditionGroup? Filter);
}
