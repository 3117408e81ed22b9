using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using WebhookStudio.Features.Sources.Filtering;

namespace WebhookStudio.Tests.Sources.Filtering;

public class FilterEvaluatorTests
{
    /// <summary>Parses as the pipeline should: ISO dates stay strings, so text operators see them as sent.</summary>
    internal static JToken Payload(string json)
    {
        using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None };
        return JToken.ReadFrom(reader);
    }

    private static FilterVerdict Evaluate(Condition condition, string json) =>
        FilterEvaluator.Evaluate(ConditionGroup.All(condition), Payload(json));

    private static FilterVerdict Evaluate(string path, FilterOperator op, string? value, string json) =>
        Evaluate(new Condition(path, op, value), json);

    private static void AssertFails(FilterVerdict verdict, string reason)
    {
        Assert.False(verdict.Passed);
        Assert.Equal(reason, verdict.Reason);
    }

    [Fact]
    public void No_filter_accepts_every_payload()
    {
        Assert.Equal(FilterVerdict.Pass, FilterEvaluator.Evaluate(null, Payload("""{"anything":1}""")));
    }

    [Fact]
    public void A_passing_payload_has_no_reason()
    {
        var verdict = Evaluate("$.type", FilterOperator.Equals, "invoice.paid", """{"type":"invoice.paid"}""");

        Assert.True(verdict.Passed);
        Assert.Null(verdict.Reason);
    }

    [Fact]
    public void Equals_fails_saying_what_the_value_was()
    {
        AssertFails(Evaluate("$.type", FilterOperator.Equals, "invoice.paid", """{"type":"invoice.created"}"""),
            "$.type equals \"invoice.paid\" — was \"invoice.created\"");
    }

    [Fact]
    public void A_missing_value_fails_as_not_present()
    {
        AssertFails(Evaluate("$.type", FilterOperator.Equals, "invoice.paid", """{"kind":"x"}"""),
            "$.type equals \"invoice.paid\" — not present");
    }

    [Theory]
    [InlineData("type")]
    [InlineData("$.type")]
    [InlineData(".type")]
    [InlineData(" $.type ")]
    public void A_bare_field_name_means_a_root_property(string path)
    {
        Assert.True(Evaluate(path, FilterOperator.Equals, "a", """{"type":"a"}""").Passed);
        AssertFails(Evaluate(path, FilterOperator.Equals, "a", """{"type":"b"}"""), "$.type equals \"a\" — was \"b\"");
    }

    [Fact]
    public void The_root_itself_can_be_tested()
    {
        Assert.True(Evaluate("$", FilterOperator.Equals, "ping", "\"ping\"").Passed);
        Assert.True(Evaluate("[1]", FilterOperator.Equals, "b", """["a","b"]""").Passed);
    }

    [Theory]
    [InlineData("1", "1", true)]
    [InlineData("1.0", "1", true)]
    [InlineData("1", "1.000", true)]
    [InlineData("4900", "4.9e3", true)]
    [InlineData("0.1", "0.1", true)]
    [InlineData("-2.50", "-2.5", true)]
    [InlineData("1", "01", true)]
    [InlineData("1.5", "1", false)]
    [InlineData("1", "one", false)]
    [InlineData("\"1\"", "1", true)]
    [InlineData("\"1.0\"", "1", false)]
    [InlineData("\"01\"", "1", false)]
    [InlineData("true", "true", true)]
    [InlineData("false", "false", true)]
    [InlineData("true", "True", false)]
    [InlineData("true", "1", false)]
    [InlineData("null", "null", true)]
    [InlineData("null", "", false)]
    [InlineData("\"\"", "", true)]
    [InlineData("\"Paid\"", "paid", false)]
    public void Equals_compares_numbers_numerically_and_everything_else_ordinally(string json, string value, bool expected)
    {
        Assert.Equal(expected, Evaluate("$.v", FilterOperator.Equals, value, $$"""{"v":{{json}}}""").Passed);
    }

    [Fact]
    public void Equals_never_matches_objects_or_arrays()
    {
        AssertFails(Evaluate("$.v", FilterOperator.Equals, "{}", """{"v":{}}"""), "$.v equals \"{}\" — was an object");
        AssertFails(Evaluate("$.v", FilterOperator.Equals, "a", """{"v":["a"]}"""), "$.v equals \"a\" — was [\"a\"]");
    }

    [Theory]
    [InlineData("450789469876543210987", "450789469876543210987", true)]
    [InlineData("450789469876543210987", "450789469876543210988", false)]
    [InlineData("450789469876543210987", "450789469876543210987.0", true)]
    [InlineData("820982911946154508", "820982911946154509", false)]
    [InlineData("123456789012345678901234567890123", "123456789012345678901234567890123", true)]
    [InlineData("123456789012345678901234567890123", "123456789012345678901234567890124", false)]
    public void Equals_is_exact_for_integers_beyond_double_precision(string json, string value, bool expected)
    {
        Assert.Equal(expected, Evaluate("$.id", FilterOperator.Equals, value, $$"""{"id":{{json}}}""").Passed);
    }

    [Theory]
    [InlineData(FilterOperator.GreaterThan, "450789469876543210986", true)]
    [InlineData(FilterOperator.GreaterThan, "450789469876543210987", false)]
    [InlineData(FilterOperator.LessThan, "450789469876543210988", true)]
    [InlineData(FilterOperator.LessThan, "450789469876543210987", false)]
    [InlineData(FilterOperator.GreaterThan, "1e20", true)]
    [InlineData(FilterOperator.LessThan, "1e300", true)]
    public void Comparisons_are_exact_for_integers_beyond_double_precision(FilterOperator op, string value, bool expected)
    {
        Assert.Equal(expected, Evaluate("$.id", op, value, """{"id":450789469876543210987}""").Passed);
    }

    [Fact]
    public void Integers_beyond_decimal_range_compare_exactly()
    {
        const string json = """{"id":1000000000000000000000000000001}""";

        Assert.True(Evaluate("$.id", FilterOperator.GreaterThan, "1000000000000000000000000000000", json).Passed);
        Assert.False(Evaluate("$.id", FilterOperator.GreaterThan, "1000000000000000000000000000001", json).Passed);
        Assert.True(Evaluate("$.id", FilterOperator.GreaterThan, "99.5", json).Passed);
    }

    [Fact]
    public void Decimal_float_tokens_compare_exactly()
    {
        // The receiver parses payloads with FloatParseHandling.Decimal; reals then keep all their digits.
        using var reader = new JsonTextReader(new StringReader("""{"v":0.1000000000000000000000001}""")) { FloatParseHandling = FloatParseHandling.Decimal };
        var group = ConditionGroup.All(new Condition("$.v", FilterOperator.GreaterThan, "0.1"), new Condition("$.v", FilterOperator.StartsWith, "0.1000"));

        Assert.True(FilterEvaluator.Evaluate(group, JToken.ReadFrom(reader)).Passed);
    }

    [Fact]
    public void Not_equals_passes_when_nothing_equals_including_when_absent()
    {
        Assert.True(Evaluate("$.status", FilterOperator.NotEquals, "void", """{"status":"paid"}""").Passed);
        Assert.True(Evaluate("$.status", FilterOperator.NotEquals, "void", """{}""").Passed);
        Assert.True(Evaluate("$.n", FilterOperator.NotEquals, "2", """{"n":2.5}""").Passed);
        AssertFails(Evaluate("$.status", FilterOperator.NotEquals, "paid", """{"status":"paid"}"""), "$.status not equals \"paid\" — was \"paid\"");
        AssertFails(Evaluate("$.n", FilterOperator.NotEquals, "2", """{"n":2.0}"""), "$.n not equals \"2\" — was 2");
    }

    [Theory]
    [InlineData("\"Fix the retry schedule\"", "retry", true)]
    [InlineData("\"Fix the retry schedule\"", "Retry", false)]
    [InlineData("4900", "49", true)]
    [InlineData("[\"returning\",\"family\"]", "family", true)]
    [InlineData("[\"returning\",\"family\"]", "fam", false)]
    [InlineData("[1,2,3]", "2.0", true)]
    [InlineData("[]", "a", false)]
    [InlineData("{\"a\":\"x\"}", "x", false)]
    public void Contains_is_a_substring_or_for_arrays_an_element(string json, string value, bool expected)
    {
        Assert.Equal(expected, Evaluate("$.v", FilterOperator.Contains, value, $$"""{"v":{{json}}}""").Passed);
    }

    [Fact]
    public void Contains_fails_saying_what_the_value_was()
    {
        AssertFails(Evaluate("$.tags", FilterOperator.Contains, "vip", """{"tags":["returning","family"]}"""),
            "$.tags contains \"vip\" — was [\"returning\",\"family\"]");
        AssertFails(Evaluate("$.text", FilterOperator.Contains, "#release", """{"text":"#deploy now"}"""),
            "$.text contains \"#release\" — was \"#deploy now\"");
    }

    [Fact]
    public void Starts_with_and_ends_with_are_ordinal()
    {
        const string json = """{"ref":"refs/heads/main","n":1234}""";

        Assert.True(Evaluate("$.ref", FilterOperator.StartsWith, "refs/heads/", json).Passed);
        Assert.True(Evaluate("$.ref", FilterOperator.EndsWith, "/main", json).Passed);
        Assert.True(Evaluate("$.n", FilterOperator.StartsWith, "12", json).Passed);
        AssertFails(Evaluate("$.ref", FilterOperator.StartsWith, "Refs/", json), "$.ref starts with \"Refs/\" — was \"refs/heads/main\"");
        AssertFails(Evaluate("$.ref", FilterOperator.EndsWith, "/develop", json), "$.ref ends with \"/develop\" — was \"refs/heads/main\"");
    }

    [Theory]
    [InlineData("4900", FilterOperator.GreaterThan, "1000", true)]
    [InlineData("4900", FilterOperator.GreaterThan, "4900", false)]
    [InlineData("4900", FilterOperator.LessThan, "4900.01", true)]
    [InlineData("-1", FilterOperator.LessThan, "0", true)]
    [InlineData("0.3", FilterOperator.GreaterThan, "0.29999999", true)]
    [InlineData("\"403.00\"", FilterOperator.GreaterThan, "400", true)]
    [InlineData("\"403.00\"", FilterOperator.LessThan, "403", false)]
    [InlineData("\"9\"", FilterOperator.LessThan, "10", true)]
    public void Comparisons_read_numbers_in_numbers_and_strings(string json, FilterOperator op, string value, bool expected)
    {
        Assert.Equal(expected, Evaluate("$.v", op, value, $$"""{"v":{{json}}}""").Passed);
    }

    [Fact]
    public void Comparisons_fail_saying_what_the_value_was()
    {
        AssertFails(Evaluate("$.amount", FilterOperator.GreaterThan, "1000", """{"amount":900}"""), "$.amount greater than \"1000\" — was 900");
        AssertFails(Evaluate("$.amount", FilterOperator.LessThan, "1000", """{"amount":1000}"""), "$.amount less than \"1000\" — was 1000");
    }

    [Fact]
    public void Comparing_a_value_that_is_neither_number_nor_date_fails_with_the_reason()
    {
        AssertFails(Evaluate("$.v", FilterOperator.GreaterThan, "1000", """{"v":"lots"}"""), "$.v greater than \"1000\" — was \"lots\", not a number or a date");
        AssertFails(Evaluate("$.v", FilterOperator.LessThan, "1000", """{"v":true}"""), "$.v less than \"1000\" — was true, not a number or a date");
        AssertFails(Evaluate("$.v", FilterOperator.GreaterThan, "lots", """{"v":5}"""), "$.v greater than \"lots\" — the value is not a number or a date");
    }

    [Theory]
    [InlineData("\"2026-11-20T10:12:45+01:00\"", FilterOperator.GreaterThan, "2026-11-20T09:12:44Z", true)]
    [InlineData("\"2026-11-20T10:12:45+01:00\"", FilterOperator.GreaterThan, "2026-11-20T09:12:45Z", false)]
    [InlineData("\"2026-11-20T10:12:45+01:00\"", FilterOperator.LessThan, "2026-11-20T10:12:45Z", true)]
    [InlineData("\"2026-11-21\"", FilterOperator.GreaterThan, "2026-11-20", true)]
    [InlineData("\"2026-11-21 21:35:57\"", FilterOperator.LessThan, "2026-11-22", true)]
    [InlineData("1763640000", FilterOperator.GreaterThan, "2025-11-20T11:59:59Z", true)]
    [InlineData("1763640000", FilterOperator.LessThan, "2025-11-20T12:00:01Z", true)]
    [InlineData("1763712000123", FilterOperator.GreaterThan, "2025-11-21T08:00:00.122Z", true)]
    [InlineData("1763712000123", FilterOperator.LessThan, "2025-11-21T08:00:00.124Z", true)]
    [InlineData("\"2025-11-20T12:00:00Z\"", FilterOperator.GreaterThan, "1763639999", true)]
    [InlineData("\"2025-11-20T12:00:00Z\"", FilterOperator.LessThan, "1763640001000", true)]
    [InlineData("1763640000", FilterOperator.LessThan, "1763640001", true)]
    public void Dates_compare_as_dates_whether_ISO_or_unix(string json, FilterOperator op, string value, bool expected)
    {
        Assert.Equal(expected, Evaluate("$.at", op, value, $$"""{"at":{{json}}}""").Passed);
    }

    [Fact]
    public void Date_tokens_from_a_default_parse_compare_as_dates()
    {
        var payload = JToken.Parse("""{"time":"2026-11-21T12:01:22Z"}""");
        Assert.Equal(JTokenType.Date, payload["time"]!.Type);

        Assert.True(FilterEvaluator.Evaluate(ConditionGroup.All(new Condition("$.time", FilterOperator.GreaterThan, "2026-11-21T12:00:00Z")), payload).Passed);
        Assert.True(FilterEvaluator.Evaluate(ConditionGroup.All(new Condition("$.time", FilterOperator.Equals, "2026-11-21T13:01:22+01:00")), payload).Passed);
        Assert.False(FilterEvaluator.Evaluate(ConditionGroup.All(new Condition("$.time", FilterOperator.LessThan, "1763726482")), payload).Passed);
    }

    [Fact]
    public void Exists_counts_a_null_as_present()
    {
        const string json = """{"request":{"id":null},"livemode":false}""";

        Assert.True(Evaluate("$.livemode", FilterOperator.Exists, null, json).Passed);
        Assert.True(Evaluate("$.request.id", FilterOperator.Exists, null, json).Passed);
        AssertFails(Evaluate("$.x", FilterOperator.Exists, null, json), "$.x exists — not present");
    }

    [Fact]
    public void Not_exists_passes_only_when_nothing_is_selected()
    {
        const string json = """{"request":{"id":null},"livemode":false}""";

        Assert.True(Evaluate("$.x", FilterOperator.NotExists, null, json).Passed);
        Assert.True(Evaluate("$.request.id.deeper", FilterOperator.NotExists, null, json).Passed);
        AssertFails(Evaluate("$.livemode", FilterOperator.NotExists, null, json), "$.livemode does not exist — was false");
        AssertFails(Evaluate("$.request.id", FilterOperator.NotExists, null, json), "$.request.id does not exist — was null");
    }

    [Theory]
    [InlineData("\"evt_1QxY2zAbCdEfGhIjKlMnOpQr\"", "^evt_[A-Za-z0-9]+$", true)]
    [InlineData("\"in_1QxY\"", "^evt_", false)]
    [InlineData("\"Jenny Rosen\"", "rosen", false)]
    [InlineData("\"Jenny Rosen\"", "(?i)rosen", true)]
    [InlineData("4900", "^49\\d\\d$", true)]
    [InlineData("[\"a\"]", "a", false)]
    public void Matches_uses_dotnet_regular_expressions(string json, string pattern, bool expected)
    {
        Assert.Equal(expected, Evaluate("$.v", FilterOperator.Matches, pattern, $$"""{"v":{{json}}}""").Passed);
    }

    [Fact]
    public void Matches_fails_saying_what_the_value_was()
    {
        AssertFails(Evaluate("$.id", FilterOperator.Matches, "^evt_", """{"id":"in_1"}"""), "$.id matches regex \"^evt_\" — was \"in_1\"");
    }

    [Fact]
    public void A_regex_that_times_out_fails_instead_of_hanging()
    {
        var input = new string('a', 40) + "!";

        var verdict = Evaluate("$.v", FilterOperator.Matches, "^(a+)+$", $$"""{"v":"{{input}}"}""");

        Assert.False(verdict.Passed);
        Assert.EndsWith("the regular expression timed out after 100 ms", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_regex_fails_every_payload_with_the_reason()
    {
        var verdict = Evaluate("$.v", FilterOperator.Matches, "(unclosed", """{"v":"x"}""");

        Assert.False(verdict.Passed);
        Assert.StartsWith("$.v matches regex \"(unclosed\" — invalid regular expression: ", verdict.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"paid\"", true)]
    [InlineData("\"open\"", true)]
    [InlineData("\"Paid\"", false)]
    [InlineData("2", true)]
    [InlineData("2.0", true)]
    [InlineData("3", false)]
    [InlineData("[\"paid\"]", false)]
    public void In_is_one_of_the_values(string json, bool expected)
    {
        var condition = new Condition("$.v", FilterOperator.In, values: ["paid", "open", "2"]);

        Assert.Equal(expected, Evaluate(condition, $$"""{"v":{{json}}}""").Passed);
    }

    [Fact]
    public void In_fails_listing_the_values()
    {
        AssertFails(Evaluate(new Condition("$.status", FilterOperator.In, values: ["paid", "open"]), """{"status":"void"}"""),
            "$.status is one of [\"paid\", \"open\"] — was \"void\"");
    }

    [Fact]
    public void Conditions_missing_their_value_fail_instead_of_throwing()
    {
        AssertFails(Evaluate(new Condition("$.v", FilterOperator.Equals), """{"v":"x"}"""), "$.v equals — no value to compare with");
        AssertFails(Evaluate(new Condition("$.v", FilterOperator.In, "x"), """{"v":"x"}"""), "$.v is one of — no list of values");
        AssertFails(Evaluate(new Condition("$.v[", FilterOperator.Exists), """{"v":"x"}"""), "$.v[ exists — invalid JSONPath: Path ended with open indexer.");
        AssertFails(Evaluate(new Condition("", FilterOperator.Exists), """{"v":"x"}"""), " exists — the path is empty");
    }

    [Fact]
    public void A_path_selecting_several_values_passes_when_any_passes()
    {
        const string json = """{"items":[{"sku":"A-1","qty":1},{"sku":"B-2","qty":5},{"sku":"C-3"}]}""";

        Assert.True(Evaluate("$.items[*].sku", FilterOperator.Equals, "B-2", json).Passed);
        Assert.True(Evaluate("$.items[*].qty", FilterOperator.GreaterThan, "4", json).Passed);
        Assert.True(Evaluate("$.items[*].qty", FilterOperator.Exists, null, json).Passed);
        AssertFails(Evaluate("$.items[*].qty", FilterOperator.GreaterThan, "5", json), "$.items[*].qty greater than \"5\" — was 1, 5");
        AssertFails(Evaluate("$.items[*].sku", FilterOperator.NotEquals, "C-3", json), "$.items[*].sku not equals \"C-3\" — was \"C-3\"");
        AssertFails(Evaluate("$.items[*].sku", FilterOperator.NotExists, null, json), "$.items[*].sku does not exist — was \"A-1\", \"B-2\", \"C-3\"");
    }

    [Fact]
    public void Reasons_show_at_most_three_values_and_shorten_long_ones()
    {
        var longText = new string('x', 100);
        var json = $$"""{"a":[1,2,3,4,5],"long":"{{longText}}"}""";

        AssertFails(Evaluate("$.a[*]", FilterOperator.Equals, "9", json), "$.a[*] equals \"9\" — was 1, 2, 3 and 2 more");
        AssertFails(Evaluate("$.long", FilterOperator.Equals, "y", json), $"$.long equals \"y\" — was \"{new string('x', 60)}…\"");
    }

    [Fact]
    public void An_all_group_reports_its_first_failing_condition()
    {
        var group = ConditionGroup.All(
            new Condition("$.a", FilterOperator.Equals, "1"),
            new Condition("$.b", FilterOperator.Equals, "2"),
            new Condition("$.c", FilterOperator.Equals, "3"));

        var verdict = FilterEvaluator.Evaluate(group, Payload("""{"a":1,"b":3,"c":4}"""));

        Assert.Equal(FilterVerdict.Fail("$.b equals \"2\" — was 3"), verdict);
    }

    [Fact]
    public void An_any_group_passes_when_one_condition_holds()
    {
        var group = ConditionGroup.Any(
            new Condition("$.a", FilterOperator.Equals, "x"),
            new Condition("$.b", FilterOperator.Exists));

        Assert.True(FilterEvaluator.Evaluate(group, Payload("""{"b":0}""")).Passed);
    }

    [Fact]
    public void An_any_group_reports_that_none_of_its_conditions_held()
    {
        var group = ConditionGroup.Any(
            new Condition("$.a", FilterOperator.Equals, "x"),
            new Condition("$.b", FilterOperator.Exists),
            ConditionGroup.All(new Condition("$.c", FilterOperator.LessThan, "1")));

        var verdict = FilterEvaluator.Evaluate(group, Payload("""{"a":"y","c":2}"""));

        Assert.Equal(
            FilterVerdict.Fail("None of these held: $.a equals \"x\" — was \"y\"; $.b exists — not present; ($.c less than \"1\" — was 2)"),
            verdict);
    }

    [Fact]
    public void Groups_nest_to_any_depth()
    {
        var group = ConditionGroup.Parse("""
            {"all":[{"path":"$.type","op":"equals","value":"invoice.paid"},
                    {"any":[{"path":"$.data.object.amount_paid","op":"greater_than","value":"1000"},
                            {"all":[{"path":"$.data.object.currency","op":"equals","value":"eur"},
                                    {"any":[{"path":"$.vip","op":"equals","value":"true"},
                                            {"path":"$.data.object.amount_paid","op":"greater_than","value":"500"}]}]}]}]}
            """);

        Assert.True(FilterEvaluator.Evaluate(group, Payload("""{"type":"invoice.paid","data":{"object":{"amount_paid":4900,"currency":"usd"}}}""")).Passed);
        Assert.True(FilterEvaluator.Evaluate(group, Payload("""{"type":"invoice.paid","data":{"object":{"amount_paid":600,"currency":"eur"}}}""")).Passed);
        Assert.True(FilterEvaluator.Evaluate(group, Payload("""{"type":"invoice.paid","vip":true,"data":{"object":{"amount_paid":1,"currency":"eur"}}}""")).Passed);
        Assert.False(FilterEvaluator.Evaluate(group, Payload("""{"type":"invoice.created","data":{"object":{"amount_paid":4900,"currency":"eur"}}}""")).Passed);

        var verdict = FilterEvaluator.Evaluate(group, Payload("""{"type":"invoice.paid","data":{"object":{"amount_paid":600,"currency":"usd"}}}"""));
        Assert.Equal(
            "None of these held: $.data.object.amount_paid greater than \"1000\" — was 600; ($.data.object.currency equals \"eur\" — was \"usd\")",
            verdict.Reason);
    }

    [Fact]
    public void Empty_groups_follow_logic_all_holds_any_does_not()
    {
        var payload = Payload("{}");

        Assert.True(FilterEvaluator.Evaluate(ConditionGroup.All(), payload).Passed);
        Assert.Equal(FilterVerdict.Fail("an empty 'any' group holds for no payload"), FilterEvaluator.Evaluate(ConditionGroup.Any(), payload));
    }

    [Fact]
    public void Evaluating_the_same_group_again_gives_the_same_verdicts()
    {
        var group = ConditionGroup.All(new Condition("$.n", FilterOperator.GreaterThan, "10"));

        var verdicts = Enumerable.Range(0, 20).AsParallel()
            .Select(n => FilterEvaluator.Evaluate(group, Payload($$"""{"n":{{n}}}""")).Passed)
            .ToArray();

        Assert.Equal(Enumerable.Range(0, 20).Select(n => n > 10), verdicts);
    }

    [Fact]
    public void Paths_beyond_the_simple_form_go_through_Newtonsoft()
    {
        const string json = """{"commits":[{"id":"a","author":{"name":"Mona"}},{"id":"b","author":{"name":"Octo"}}]}""";

        Assert.True(Evaluate("$.commits[?(@.author.name == 'Octo')].id", FilterOperator.Equals, "b", json).Passed);
        Assert.True(Evaluate("$..name", FilterOperator.Equals, "Mona", json).Passed);
        Assert.True(Evaluate("$['commits'][0]['id']", FilterOperator.Equals, "a", json).Passed);
        AssertFails(Evaluate("$.commits[-1:].id", FilterOperator.Equals, "a", json), "$.commits[-1:].id equals \"a\" — was \"b\"");
    }

    [Fact]
    public void A_JSONPath_that_fails_on_the_payload_fails_the_condition_instead_of_throwing()
    {
        var verdict = Evaluate("$.items[?(@.name =~ /(/)]", FilterOperator.Exists, null, """{"items":[{"name":"x"}]}""");

        Assert.False(verdict.Passed);
        Assert.Contains("the JSONPath failed on this payload", verdict.Reason, StringComparison.Ordinal);
    }
}
