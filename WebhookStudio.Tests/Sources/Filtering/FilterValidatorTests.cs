using WebhookStudio.Features.Sources.Filtering;

namespace WebhookStudio.Tests.Sources.Filtering;

public class FilterValidatorTests
{
    [Fact]
    public void A_valid_filter_has_no_errors()
    {
        var group = ConditionGroup.Parse("""
            {"all":[{"path":"$.type","op":"equals","value":"invoice.paid"},
                    {"path":"type","op":"not_equals","value":"x"},
                    {"path":"$","op":"exists"},
                    {"path":"$.commits[*].author.name","op":"in","value":["a","b"]},
                    {"path":"$..name","op":"matches","value":"^[A-Z]"},
                    {"path":"$.created","op":"greater_than","value":"2026-01-01T00:00:00Z"},
                    {"path":"$.created","op":"less_than","value":"1763640000"},
                    {"any":[{"path":"$.data.object.amount_paid","op":"greater_than","value":"1000.5"},
                            {"path":"$.livemode","op":"not_exists"}]}]}
            """);

        Assert.Empty(FilterValidator.Validate(group));
    }

    [Theory]
    [InlineData("$.a[")]
    [InlineData("$.a[?(@.b ==")]
    [InlineData("$.a[99999999999]")]
    public void An_invalid_JSONPath_is_reported_at_its_path(string path)
    {
        var error = Assert.Single(FilterValidator.Validate(ConditionGroup.All(new Condition(path, FilterOperator.Exists))));

        Assert.Equal("all[0].path", error.Location);
        Assert.StartsWith($"Invalid JSONPath '{path}': ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_are_located_in_nested_groups_in_document_order()
    {
        var group = ConditionGroup.Parse("""
            {"all":[{"path":"$.ok","op":"exists"},
                    {"any":[{"path":"$.a[","op":"exists"},
                            {"path":"$.b","op":"matches","value":"(unclosed"}]},
                    {"any":[]}]}
            """);

        var errors = FilterValidator.Validate(group);

        Assert.Equal(["all[1].any[0].path", "all[1].any[1].value", "all[2].any"], errors.Select(e => e.Location));
        Assert.StartsWith("Invalid regular expression: ", errors[1].Message, StringComparison.Ordinal);
        Assert.Equal("Group is empty", errors[2].Message);
        Assert.Equal("all[2].any: Group is empty", errors[2].ToString());
    }

    [Fact]
    public void An_empty_root_group_is_reported()
    {
        var error = Assert.Single(FilterValidator.Validate(ConditionGroup.Any()));

        Assert.Equal(new FilterError("any", "Group is empty"), error);
    }

    [Theory]
    [InlineData(8, 0)]
    [InlineData(9, 1)]
    public void Groups_nest_at_most_eight_levels(int levels, int errorCount)
    {
        var group = ConditionGroup.All(new Condition("$.a", FilterOperator.Exists));
        for (var level = 1; level < levels; level++)
            group = ConditionGroup.Any(group);

        var errors = FilterValidator.Validate(group);

        Assert.Equal(errorCount, errors.Count);
        if (errorCount > 0)
        {
            Assert.Equal(string.Join(".", Enumerable.Repeat("any[0]", 8)) + ".all", errors[0].Location);
            Assert.Contains("more than 8 levels", errors[0].Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("equals", null, null, "“equals” needs a value to compare with")]
    [InlineData("matches", null, null, "“matches regex” needs a value to compare with")]
    [InlineData("in", null, null, "“is one of” needs at least one value")]
    [InlineData("in", "a", null, "“is one of” needs at least one value")]
    [InlineData("in", null, new string[0], "“is one of” needs at least one value")]
    [InlineData("contains", null, new[] { "a", "b" }, "“contains” compares with one value, not a list")]
    [InlineData("exists", "x", null, "“exists” compares with no value")]
    [InlineData("greater_than", "lots", null, "“greater than” needs a number or a date (such as 1000 or 2026-01-31), not “lots”")]
    [InlineData("less_than", "", null, "“less than” needs a number or a date (such as 1000 or 2026-01-31), not “”")]
    public void Values_must_fit_the_operator(string op, string? value, string[]? values, string message)
    {
        Assert.True(FilterOperators.TryParse(op, out var filterOperator));
        var group = ConditionGroup.All(new Condition("$.a", filterOperator, value, values));

        Assert.Equal(new FilterError("all[0].value", message), Assert.Single(FilterValidator.Validate(group)));
    }

    [Theory]
    [InlineData("1000")]
    [InlineData("-3.25")]
    [InlineData("2026-11-20")]
    [InlineData("2026-11-20T10:12:45+01:00")]
    [InlineData("1763640000")]
    public void Comparisons_accept_numbers_and_dates(string value)
    {
        Assert.Empty(FilterValidator.Validate(ConditionGroup.All(new Condition("$.a", FilterOperator.GreaterThan, value))));
    }

    [Fact]
    public void An_empty_path_is_reported()
    {
        var error = Assert.Single(FilterValidator.Validate(ConditionGroup.All(new Condition("  ", FilterOperator.Exists))));

        Assert.Equal(new FilterError("all[0].path", "Choose a field"), error);
    }

    [Fact]
    public void An_undefined_operator_is_reported()
    {
        var error = Assert.Single(FilterValidator.Validate(ConditionGroup.All(new Condition("$.a", (FilterOperator)99, "x"))));

        Assert.Equal("all[0].op", error.Location);
    }
}
