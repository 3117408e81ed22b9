using Newtonsoft.Json.Linq;
using WebhookStudio.Features.Sources.Filtering;

namespace WebhookStudio.Tests.Sources.Filtering;

public class SamplePayloadFilterTests
{
    private static JToken Sample(string fileName) => FilterEvaluatorTests.Payload(SamplePayloads.Read(fileName));

    private static FilterVerdict Evaluate(string filterJson, JToken payload) =>
        FilterEvaluator.Evaluate(ConditionGroup.Parse(filterJson), payload);

    [Fact]
    public void Stripe_type_filter_passes_invoice_paid()
    {
        var verdict = Evaluate("""{"all":[{"path":"type","op":"equals","value":"invoice.paid"}]}""", Sample("stripe-invoice-paid.json"));

        Assert.Equal(FilterVerdict.Pass, verdict);
    }

    [Fact]
    public void Stripe_type_filter_rejects_another_event_with_the_reason()
    {
        var payload = Sample("stripe-invoice-paid.json");
        payload["type"] = "invoice.created";

        var verdict = Evaluate("""{"all":[{"path":"type","op":"equals","value":"invoice.paid"}]}""", payload);

        Assert.Equal(FilterVerdict.Fail("$.type equals \"invoice.paid\" — was \"invoice.created\""), verdict);
    }

    [Fact]
    public void Stripe_documented_filter_passes_and_fails_on_its_amount()
    {
        const string filter = """
            {"all":[{"path":"$.type","op":"equals","value":"invoice.paid"},
                    {"any":[{"path":"$.data.object.amount_paid","op":"greater_than","value":"1000"},
                            {"path":"$.livemode","op":"exists"}]}]}
            """;
        var payload = Sample("stripe-invoice-paid.json");
        Assert.True(Evaluate(filter, payload).Passed);

        payload["data"]!["object"]!["amount_paid"] = 900;
        ((JObject)payload).Remove("livemode");

        Assert.Equal(
            "None of these held: $.data.object.amount_paid greater than \"1000\" — was 900; $.livemode exists — not present",
            Evaluate(filter, payload).Reason);
    }

    [Fact]
    public void Stripe_unix_created_compares_with_an_ISO_date()
    {
        var payload = Sample("stripe-invoice-paid.json");

        Assert.True(Evaluate("""{"all":[{"path":"$.created","op":"greater_than","value":"2025-11-20T11:59:59Z"}]}""", payload).Passed);
        Assert.False(Evaluate("""{"all":[{"path":"$.created","op":"greater_than","value":"2025-11-20T12:00:00Z"}]}""", payload).Passed);
    }

    [Fact]
    public void GitHub_push_commit_authors_pass_when_any_commit_matches()
    {
        var payload = Sample("github-push.json");

        Assert.True(Evaluate("""{"all":[{"path":"$.commits[*].author.name","op":"equals","value":"Octo Cat"}]}""", payload).Passed);
        Assert.True(Evaluate("""{"all":[{"path":"$.commits[*].author.name","op":"equals","value":"Mona Lisa"}]}""", payload).Passed);
        Assert.True(Evaluate("""{"all":[{"path":"$.commits[*].author.name","op":"in","value":["Hubot","Octo Cat"]}]}""", payload).Passed);
        Assert.True(Evaluate("""{"all":[{"path":"$.commits[*].added","op":"contains","value":"tests/retry_tests.cs"}]}""", payload).Passed);
        Assert.True(Evaluate("""{"all":[{"path":"$.commits[*].timestamp","op":"greater_than","value":"2026-11-20T09:13:00Z"}]}""", payload).Passed);
    }

    [Fact]
    public void GitHub_push_commit_authors_fail_naming_every_author()
    {
        var verdict = Evaluate("""{"all":[{"path":"$.commits[*].author.name","op":"equals","value":"Hubot"}]}""", Sample("github-push.json"));

        Assert.Equal(FilterVerdict.Fail("$.commits[*].author.name equals \"Hubot\" — was \"Mona Lisa\", \"Octo Cat\""), verdict);
    }

    [Fact]
    public void GitHub_push_not_equals_and_not_exists_hold_only_when_no_commit_matches()
    {
        var payload = Sample("github-push.json");

        Assert.True(Evaluate("""{"all":[{"path":"$.commits[*].author.name","op":"not_equals","value":"Hubot"}]}""", payload).Passed);
        Assert.Equal(
            FilterVerdict.Fail("$.commits[*].author.name not equals \"Octo Cat\" — was \"Octo Cat\""),
            Evaluate("""{"all":[{"path":"$.commits[*].author.name","op":"not_equals","value":"Octo Cat"}]}""", payload));
        Assert.True(Evaluate("""{"all":[{"path":"$.commits[*].author.avatar","op":"not_exists"}]}""", payload).Passed);
        Assert.False(Evaluate("""{"all":[{"path":"$.commits[*].author.username","op":"not_exists"}]}""", payload).Passed);
    }

    [Fact]
    public void GitHub_push_branch_filter()
    {
        var payload = Sample("github-push.json");

        Assert.True(Evaluate("""{"all":[{"path":"ref","op":"ends_with","value":"/main"},{"path":"deleted","op":"equals","value":"false"}]}""", payload).Passed);
        Assert.False(Evaluate("""{"all":[{"path":"ref","op":"matches","value":"^refs/tags/"}]}""", payload).Passed);
    }

    [Fact]
    public void Shopify_large_ids_compare_exactly()
    {
        var payload = Sample("shopify-orders-create.json");

        Assert.True(Evaluate("""{"all":[{"path":"$.id","op":"equals","value":"820982911946154508"}]}""", payload).Passed);
        Assert.False(Evaluate("""{"all":[{"path":"$.id","op":"equals","value":"820982911946154509"}]}""", payload).Passed);
        Assert.True(Evaluate("""{"all":[{"path":"$.line_items[*].id","op":"in","value":["141249953214522974"]}]}""", payload).Passed);
        Assert.True(Evaluate("""{"all":[{"path":"$.customer.id","op":"less_than","value":"115310627314723955"}]}""", payload).Passed);
        Assert.False(Evaluate("""{"all":[{"path":"$.customer.id","op":"less_than","value":"115310627314723954"}]}""", payload).Passed);
    }

    [Fact]
    public void Shopify_prices_in_strings_compare_as_numbers()
    {
        var payload = Sample("shopify-orders-create.json");

        Assert.True(Evaluate("""{"all":[{"path":"$.current_total_price","op":"greater_than","value":"400"}]}""", payload).Passed);
        Assert.True(Evaluate("""{"all":[{"path":"$.line_items[*].price","op":"less_than","value":"200"}]}""", payload).Passed);
        Assert.True(Evaluate("""{"all":[{"path":"$.fulfillment_status","op":"equals","value":"null"}]}""", payload).Passed);
    }

    [Fact]
    public void HubSpot_array_payload_filters_by_subscription_type()
    {
        var payload = Sample("hubspot-contact-events.json");

        Assert.True(Evaluate("""{"all":[{"path":"$[*].subscriptionType","op":"equals","value":"contact.propertyChange"}]}""", payload).Passed);
        Assert.True(Evaluate("""{"all":[{"path":"$[0].occurredAt","op":"less_than","value":"2026-01-01T00:00:00Z"}]}""", payload).Passed);
        Assert.Equal(
            "$[*].subscriptionType equals \"contact.deletion\" — was \"contact.creation\", \"contact.propertyChange\", \"contact.creation\"",
            Evaluate("""{"all":[{"path":"$[*].subscriptionType","op":"equals","value":"contact.deletion"}]}""", payload).Reason);
    }

    [Fact]
    public void Zendesk_tags_and_priority()
    {
        var payload = Sample("zendesk-ticket-updated.json");

        Assert.True(Evaluate("""{"all":[{"path":"$.detail.tags","op":"contains","value":"webhooks"},{"path":"$.detail.priority","op":"in","value":["HIGH","URGENT"]}]}""", payload).Passed);
        Assert.True(Evaluate("""{"all":[{"path":"$.time","op":"starts_with","value":"2026-11-21T"}]}""", payload).Passed);
    }

    [Fact]
    public void Tokeet_unix_created_compares_with_a_date()
    {
        var payload = Sample("tokeet-guest-created.json");

        Assert.True(Evaluate("""{"all":[{"path":"$.guest.created","op":"greater_than","value":"2025-11-21"}]}""", payload).Passed);
        Assert.True(Evaluate("""{"all":[{"path":"event","op":"equals","value":"guest.created"},{"path":"$.guest.tags","op":"contains","value":"family"}]}""", payload).Passed);
    }
}
