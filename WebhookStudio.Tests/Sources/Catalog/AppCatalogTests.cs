using WebhookStudio.Features.Sources.Catalog;
using WebhookStudio.Features.Sources.Pipeline;

namespace WebhookStudio.Tests.Sources.Catalog;

public sealed class AppCatalogTests
{
    [Fact]
    public void The_catalog_lists_at_least_25_apps_with_unique_storable_keys()
    {
        Assert.True(AppCatalog.Apps.Count >= 25, $"Only {AppCatalog.Apps.Count} apps.");
        Assert.Equal(AppCatalog.Apps.Count, AppCatalog.Apps.Select(a => a.Key).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(AppCatalog.Apps.Count, AppCatalog.Apps.Select(a => a.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (var app in AppCatalog.Apps)
        {
            Assert.Matches("^[a-z0-9-]{2,50}$", app.Key);
            Assert.NotEqual(AppCatalog.Custom, app.Key);
            Assert.Matches("^#[0-9A-Fa-f]{6}$", app.Color);
        }
        foreach (var required in new[] { "mailchimp", "mattermost", "github", "stripe", "shopify", "hubspot", "zendesk", "slack", "jira",
                                         "typeform", "calendly", "twilio", "sendgrid", "intercom", "pagerduty", "tokeet" })
            Assert.NotNull(AppCatalog.Find(required));
    }

    [Fact]
    public void Every_documentation_link_is_an_absolute_https_url()
    {
        foreach (var app in AppCatalog.Apps)
        {
            Assert.True(Uri.TryCreate(app.DocsUrl, UriKind.Absolute, out var url), $"{app.Key}: '{app.DocsUrl}' is not absolute.");
            Assert.Equal(Uri.UriSchemeHttps, url.Scheme);
            Assert.Contains(".", url.Host, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_sample_file_exists_is_embedded_and_matches_the_content_type_of_its_app()
    {
        var library = new SamplePayloadLibrary(TimeProvider.System);
        var embedded = typeof(AppCatalog).Assembly.GetManifestResourceNames();
        var withSamples = AppCatalog.Apps.Where(a => a.SampleFile is not null).ToList();
        Assert.NotEmpty(withSamples);
        foreach (var app in withSamples)
        {
            Assert.True(File.Exists(SamplePayloads.Path(app.SampleFile!)), $"{app.Key}: {app.SampleFile} is not in Catalog/Samples.");
            Assert.Contains(SamplePayloadLibrary.ResourcePrefix + app.SampleFile, embedded);
            Assert.Equal(File.ReadAllBytes(SamplePayloads.Path(app.SampleFile!)), SamplePayloadLibrary.Read(app.SampleFile!));
            var sample = library.For(app.Key);
            Assert.False(sample.IsGeneric);
            Assert.Equal(app.SampleFile == "mailchimp-subscribe.form" ? BodyKind.Form : BodyKind.Json, PayloadDocument.KindOf(sample.ContentType));
            Assert.True(PayloadDocument.Read(sample.ContentType, sample.Body).IsSuccess, $"{app.SampleFile} does not read as its app's content type.");
        }
    }

    [Fact]
    public void Every_sample_payload_belongs_to_an_app()
    {
        var files = Directory.GetFiles(SamplePayloads.Folder).Select(Path.GetFileName);
        var referenced = AppCatalog.Apps.Select(a => a.SampleFile).ToHashSet();
        Assert.All(files, f => Assert.Contains(f, referenced));
    }

    [Fact]
    public void Apps_without_a_sample_and_custom_sources_get_a_generic_json_sample()
    {
        var library = new SamplePayloadLibrary(TimeProvider.System);
        foreach (var key in new[] { "slack", AppCatalog.Custom, "no-such-app" })
        {
            var sample = library.For(key);
            Assert.True(sample.IsGeneric);
            Assert.Equal("application/json", sample.ContentType);
            Assert.True(PayloadDocument.Read(sample.ContentType, sample.Body).IsSuccess);
        }
    }

    [Theory]
    [InlineData(null, "custom")]
    [InlineData("  ", "custom")]
    [InlineData("Custom", "custom")]
    [InlineData("stripe", "stripe")]
    [InlineData(" Stripe ", "stripe")]
    [InlineData("GITHUB", "github")]
    [InlineData("monday.com", "monday")]
    [InlineData("Microsoft Teams", "msteams")]
    [InlineData("my-crm", null)]
    public void Normalize_accepts_keys_and_names_in_any_case_and_refuses_unknown_apps(string? asked, string? stored) =>
        Assert.Equal(stored, AppCatalog.Normalize(asked));

    [Fact]
    public void Unknown_keys_show_as_custom()
    {
        Assert.Null(AppCatalog.Find("retired-app"));
        Assert.Equal("Custom", AppCatalog.DisplayName("retired-app"));
        Assert.Equal("Custom", AppCatalog.DisplayName(AppCatalog.Custom));
        Assert.Equal("Stripe", AppCatalog.DisplayName("stripe"));
    }

    [Fact]
    public void Search_matches_name_key_and_category_words_best_first()
    {
        Assert.Equal("stripe", AppCatalog.Search("stripe").Single().Key);
        Assert.Equal("github", AppCatalog.Search("git")[0].Key);
        Assert.Contains(AppCatalog.Search("git"), a => a.Key == "gitlab");
        var payments = AppCatalog.Search("payments");
        Assert.Contains(payments, a => a.Key == "stripe");
        Assert.Contains(payments, a => a.Key == "paypal");
        Assert.Empty(AppCatalog.Search("zzz-nothing"));
        Assert.Equal(AppCatalog.Apps.Count, AppCatalog.Search("  ").Count);
    }
}
