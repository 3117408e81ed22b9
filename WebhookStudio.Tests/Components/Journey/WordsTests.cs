using Bunit;
using WebhookStudio.Features.Account;
using WebhookStudio.Features.Sources;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Components.Journey;

/// <summary>What the go-live step says about a source, in words.</summary>
public sealed class WordsTests(SharedStudio shared) : JourneyComponentTestBase(shared, StudioRoles.Editor)
{
    [Fact]
    public void The_mapping_summary_says_which_payloads_are_accepted_in_words_not_json()
    {
        var source = new Source
        {
            Name = "Stripe invoices", Token = "t", IdPath = "$.id",
            Filter = """{"all":[{"path":"$.type","op":"in","value":["invoice.paid","invoice.created"]},{"path":"$.data.object.amount_paid","op":"greater_than","value":"1000"}]}""",
        };

        var summary = Render<SourceMappingSummary>(p => p.Add(s => s.Source, source));

        Assert.Equal("only those where type is one of \"invoice.paid\" or \"invoice.created\" and data.object.amount_paid greater than \"1000\"",
            summary.Find("[data-testid=summary-filter]").TextContent.Trim());
        Assert.DoesNotContain("{", summary.Markup.Replace("{}", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
