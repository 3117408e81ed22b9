using WebhookStudio.Api;
using WebhookStudio.Features.Sources;
using WebhookStudio.Features.Sources.Catalog;
using WebhookStudio.Features.Sources.Inbound;
using WebhookStudio.Features.Sources.Settings;
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

    // The samples a test reads: every app's own, and those of suggested mappings for other event types.
    private static IEnumerable<(CatalogApp App, string File)> SampleFiles() =>
        AppCatalog.Apps.SelectMany(app => app.Profile.Mappings.Select(m => m.SampleFile).OfType<string>().Prepend(app.SampleFile).Distinct()
            .Select(file => (app, file)));

    [Fact]
    public void Every_app_has_a_sample_that_exists_is_embedded_and_reads_as_the_content_type_of_its_app()
    {
        var library = new SamplePayloadLibrary(TimeProvider.System);
        var embedded = typeof(AppCatalog).Assembly.GetManifestResourceNames();
        foreach (var (app, file) in SampleFiles())
        {
            Assert.True(File.Exists(SamplePayloads.Path(file)), $"{app.Key}: {file} is not in Catalog/Samples.");
            Assert.Contains(SamplePayloadLibrary.ResourcePrefix + file, embedded);
            Assert.True(SamplePayloadLibrary.Exists(file));
            Assert.Equal(File.ReadAllBytes(SamplePayloads.Path(file)), SamplePayloadLibrary.Read(file));
            // A form sample is named .form, a JSON one .json, and the app must say it sends that kind.
            Assert.Equal(file.EndsWith(".form", StringComparison.Ordinal) ? BodyKind.Form : BodyKind.Json, app.Sends);
            if (app.Sends == BodyKind.Json)
                Assert.True(JsonBody.Parse(File.ReadAllBytes(SamplePayloads.Path(file))).IsSuccess, $"{file} is not valid JSON.");
            Assert.True(PayloadDocument.Read(app.ContentType, SamplePayloadLibrary.Read(file)!).IsSuccess, $"{file} does not read as {app.ContentType}.");
        }
        foreach (var app in AppCatalog.Apps)
        {
            var sample = library.For(app.Key);
            Assert.False(sample.IsGeneric, $"{app.Key} has no sample of its own.");
            Assert.Equal(app.SampleFile, sample.FileName);
            Assert.Equal(app.Sends, PayloadDocument.KindOf(sample.ContentType));
        }
    }

    [Fact]
    public void The_samples_that_existed_before_the_profiles_keep_their_names()
    {
        // Other tests read these files by name.
        var expected = new Dictionary<string, string>
        {
            ["github"] = "github-push.json", ["hubspot"] = "hubspot-contact-events.json", ["mailchimp"] = "mailchimp-subscribe.form",
            ["mattermost"] = "mattermost-outgoing.json", ["shopify"] = "shopify-orders-create.json", ["stripe"] = "stripe-invoice-paid.json",
            ["tokeet"] = "tokeet-guest-created.json", ["zendesk"] = "zendesk-ticket-updated.json",
        };
        foreach (var (key, file) in expected)
            Assert.Equal(file, AppCatalog.Find(key)!.SampleFile);
    }

    [Fact]
    public void Every_sample_payload_belongs_to_an_app()
    {
        var files = Directory.GetFiles(SamplePayloads.Folder).Select(f => Path.GetFileName(f));
        var referenced = SampleFiles().Select(s => s.File).ToHashSet();
        Assert.All(files, f => Assert.Contains(f, referenced));
    }

    [Fact]
    public void Custom_sources_and_unknown_apps_get_a_generic_json_sample()
    {
        var library = new SamplePayloadLibrary(TimeProvider.System);
        foreach (var key in new[] { AppCatalog.Custom, "no-such-app", null })
        {
            var sample = library.For(key);
            Assert.True(sample.IsGeneric);
            Assert.Equal("application/json", sample.ContentType);
            Assert.True(PayloadDocument.Read(sample.ContentType, sample.Body).IsSuccess);
        }
    }

    [Fact]
    public void Every_suggested_mapping_applied_to_its_sample_makes_items_with_an_id_and_a_title()
    {
        var failures = new List<string>();
        foreach (var app in AppCatalog.Apps)
        {
            foreach (var suggested in app.Profile.Mappings)
            {
                var file = suggested.SampleFile ?? app.SampleFile;
                var mapping = suggested.ToEntityMapping();
                var validation = EntityMapper.Validate(mapping);
                if (!validation.IsValid)
                {
                    failures.Add($"{app.Key} {suggested.For}: {string.Join(" ", validation.Errors.Values)}");
                    continue;
                }
                var body = SamplePayloadLibrary.Read(file)!;
                var document = PayloadDocument.Read(app.ContentType, body).Value!;

                // What the processor makes of the payload.
                var items = EntityMapper.Extract(mapping, document);
                if (!items.Any(i => i.IsValid && !string.IsNullOrEmpty(i.ExternalId) && !string.IsNullOrEmpty(i.Title)))
                    failures.Add($"{app.Key} {suggested.For}: no item with an id and a title in {file} ({items.Count} entities).");
                else if (items.FirstOrDefault(i => !i.IsValid) is { } invalid)
                    failures.Add($"{app.Key} {suggested.For}: an entity of {file} cannot become an item: {invalid.Error}");

                // What the map step shows as coverage for the same payload.
                var coverage = MappingSession.Evaluate(
                    new PayloadSample(1, DateTime.UtcNow, PayloadOutcome.Processed, app.ContentType, body.Length, document, null), mapping);
                if (!coverage.IdFound || !coverage.TitleFound)
                    failures.Add($"{app.Key} {suggested.For}: the map step's coverage finds id {coverage.IdFound}, title {coverage.TitleFound} ({coverage.Problem}).");
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void Every_profile_names_its_events_a_mapping_and_a_verification_kind_named_after_the_app()
    {
        foreach (var app in AppCatalog.Apps)
        {
            Assert.NotEmpty(app.Profile.Events);
            Assert.All(app.Profile.Events, e => Assert.False(string.IsNullOrWhiteSpace(e)));
            Assert.NotEmpty(app.Profile.Mappings);
            Assert.Equal(app.Profile.Mappings.Count, app.Profile.Mappings.Select(m => m.For).Distinct().Count());
            Assert.False(string.IsNullOrWhiteSpace(app.Profile.HandshakeText));
            if (app.Profile.Verification is { } verification)
            {
                Assert.Equal(app.Key, verification.Kind);
                Assert.False(string.IsNullOrWhiteSpace(verification.SecretName), app.Key);
                Assert.False(string.IsNullOrWhiteSpace(verification.WhereToFind), app.Key);
                Assert.True(Uri.TryCreate(verification.DocsUrl, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps, $"{app.Key}: {verification.DocsUrl}");
            }
        }
    }

    [Fact]
    public void Every_profile_says_where_the_receiver_url_goes_in_one_finished_sentence()
    {
        foreach (var app in AppCatalog.Apps)
        {
            var where = app.Profile.WhereToPaste;
            Assert.False(string.IsNullOrWhiteSpace(where), app.Key);
            Assert.True(where.EndsWith('.') && where == where.Trim(), $"{app.Key}: '{where}' is not one sentence ending with a full stop.");
            Assert.True(where.Length <= 160, $"{app.Key}: {where.Length} characters.");
            Assert.DoesNotContain("TODO", where, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("TBD", where, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Every_verification_a_profile_names_is_a_preset_the_receiver_checks()
    {
        foreach (var app in AppCatalog.Apps.Where(a => a.Profile.Verification is not null))
        {
            Assert.True(ApiEnum.TryParse<VerificationKind>(app.Profile.Verification!.Kind, out var kind), $"{app.Key}: no verification kind '{app.Profile.Verification.Kind}'.");
            Assert.NotNull(VerificationPresets.For(kind)?.Scheme);
        }
    }

    [Fact]
    public void The_apps_with_a_handshake_or_sent_through_svix_are_in_the_catalog()
    {
        foreach (var key in new[] { "meta", "msgraph", "dropbox", "okta", "clerk", "resend" })
            Assert.NotNull(AppCatalog.Find(key));
        foreach (var key in new[] { "slack", "trello", "mailchimp", "zoom", "asana", "monday", "notion", "meta", "msgraph", "dropbox", "okta", "discord", "xero", "intercom" })
            Assert.NotNull(AppCatalog.Find(key)!.Profile.Handshake);
        Assert.Null(AppCatalog.Find("stripe")!.Profile.Handshake);
        Assert.Equal("meta", Assert.Single(AppCatalog.Search("whatsapp")).Key);
        Assert.Contains(AppCatalog.Search("facebook"), a => a.Key == "meta");
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
