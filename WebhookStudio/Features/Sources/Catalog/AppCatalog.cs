using WebhookStudio.Features.Sources.Pipeline;

namespace WebhookStudio.Features.Sources.Catalog;

/// <summary>
/// An application that sends webhooks, as the "Add a data source" catalog shows it. Every entry is still a
/// custom source underneath (same receiver, same mapping); the entry only names the app, links its own webhook
/// documentation, says what it sends, and brings a sample payload to try the setup without the real app.
/// </summary>
/// <param name="Key">The value stored in <see cref="Source.App"/>: lowercase, at most 50 characters, never changed once shipped.</param>
/// <param name="Sends">The body the app posts; the receiver accepts both kinds.</param>
/// <param name="Color">The letter avatar's background, the app's brand colour.</param>
/// <param name="SampleFile">A file of <c>Catalog/Samples</c> in the shape this app sends, or null (a generic JSON sample is used).</param>
public sealed record CatalogApp(string Key, string Name, string Category, string DocsUrl, BodyKind Sends, string Color, string? SampleFile = null)
{
    public string ContentType => Sends == BodyKind.Form ? "application/x-www-form-urlencoded" : "application/json";

    /// <summary>Short label for chips and lists.</summary>
    public string SendsLabel => Sends == BodyKind.Form ? "Form post" : "JSON";

    /// <summary>The avatar's letter: "GitHub" → "G", "monday.com" → "M".</summary>
    public string Initial => Name[..1].ToUpperInvariant();
}

/// <summary>
/// The catalog of popular applications that send webhooks. Sources keep the key of their entry; a key that is not
/// (or no longer) here is shown as a custom source, so removing an entry never breaks a stored source.
/// </summary>
public static class AppCatalog
{
    /// <summary>The <see cref="Source.App"/> of a source no catalog entry describes.</summary>
    public const string Custom = "custom";

    private const BodyKind Json = BodyKind.Json;
    private const BodyKind Form = BodyKind.Form;

    public static IReadOnlyList<CatalogApp> Apps { get; } =
    [
        new("airtable", "Airtable", "Databases", "https://airtable.com/developers/web/api/webhooks-overview", Json, "#18BFFF"),
        new("asana", "Asana", "Project management", "https://developers.asana.com/docs/webhooks-guide", Json, "#F06A6A"),
        new("bigcommerce", "BigCommerce", "E-commerce", "https://developer.bigcommerce.com/docs/integrations/webhooks", Json, "#121118"),
        new("bitbucket", "Bitbucket", "Developer tools", "https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/", Json, "#2684FF"),
        new("calendly", "Calendly", "Scheduling", "https://developer.calendly.com/receive-data-from-scheduled-events-in-real-time-with-webhook-subscriptions", Json, "#006BFF"),
        new("chargebee", "Chargebee", "Payments", "https://www.chargebee.com/docs/2.0/webhook_settings.html", Json, "#FF7846"),
        new("clickup", "ClickUp", "Project management", "https://developer.clickup.com/docs/webhooks", Json, "#7B68EE"),
        new("discord", "Discord", "Messaging", "https://discord.com/developers/docs/events/webhook-events", Json, "#5865F2"),
        new("docusign", "Docusign", "Documents", "https://developers.docusign.com/platform/webhooks/connect/", Json, "#4C00FF"),
        new("eventbrite", "Eventbrite", "Events", "https://www.eventbrite.com/platform/docs/webhooks", Json, "#F05537"),
        new("freshdesk", "Freshdesk", "Customer support", "https://support.freshdesk.com/support/solutions/articles/132589-using-webhooks-in-automation-rules", Json, "#25C16F"),
        new("github", "GitHub", "Developer tools", "https://docs.github.com/en/webhooks/webhook-events-and-payloads", Json, "#24292F", "github-push.json"),
        new("gitlab", "GitLab", "Developer tools", "https://docs.gitlab.com/user/project/integrations/webhooks/", Json, "#FC6D26"),
        new("hubspot", "HubSpot", "CRM", "https://developers.hubspot.com/docs/api/webhooks", Json, "#FF7A59", "hubspot-contact-events.json"),
        new("intercom", "Intercom", "Customer support", "https://developers.intercom.com/docs/webhooks", Json, "#1F8DED"),
        new("jira", "Jira", "Project management", "https://developer.atlassian.com/cloud/jira/platform/webhooks/", Json, "#0052CC"),
        new("linear", "Linear", "Project management", "https://linear.app/developers/webhooks", Json, "#5E6AD2"),
        new("mailchimp", "Mailchimp", "Email marketing", "https://mailchimp.com/developer/marketing/guides/sync-audience-data-webhooks/", Form, "#241C15", "mailchimp-subscribe.form"),
        new("mattermost", "Mattermost", "Messaging", "https://developers.mattermost.com/integrate/webhooks/outgoing/", Json, "#1E325C", "mattermost-outgoing.json"),
        new("mollie", "Mollie", "Payments", "https://docs.mollie.com/reference/webhooks", Form, "#0A0A0A"),
        new("monday", "monday.com", "Project management", "https://developer.monday.com/api-reference/reference/webhooks", Json, "#FF3D57"),
        new("msteams", "Microsoft Teams", "Messaging", "https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-outgoing-webhook", Json, "#4B53BC"),
        new("notion", "Notion", "Documents", "https://developers.notion.com/reference/webhooks", Json, "#191919"),
        new("paddle", "Paddle", "Payments", "https://developer.paddle.com/webhooks/overview", Json, "#3A3DFF"),
        new("pagerduty", "PagerDuty", "Incident management", "https://developer.pagerduty.com/docs/webhooks-overview", Json, "#06AC38"),
        new("paypal", "PayPal", "Payments", "https://developer.paypal.com/api/rest/webhooks/", Json, "#003087"),
        new("pipedrive", "Pipedrive", "CRM", "https://pipedrive.readme.io/docs/guide-for-webhooks", Json, "#017737"),
        new("postmark", "Postmark", "Email", "https://postmarkapp.com/developer/webhooks/webhooks-overview", Json, "#FFDE00"),
        new("quickbooks", "QuickBooks Online", "Accounting", "https://developer.intuit.com/app/developer/qbo/docs/develop/webhooks", Json, "#2CA01C"),
        new("sendgrid", "SendGrid", "Email", "https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event", Json, "#1A82E2"),
        new("sentry", "Sentry", "Monitoring", "https://docs.sentry.io/organization/integrations/integration-platform/webhooks/", Json, "#362D59"),
        new("shopify", "Shopify", "E-commerce", "https://shopify.dev/docs/apps/build/webhooks", Json, "#5E8E3E", "shopify-orders-create.json"),
        new("slack", "Slack", "Messaging", "https://api.slack.com/apis/events-api", Json, "#4A154B"),
        new("square", "Square", "Payments", "https://developer.squareup.com/docs/webhooks/overview", Json, "#3E4348"),
        new("stripe", "Stripe", "Payments", "https://docs.stripe.com/webhooks", Json, "#635BFF", "stripe-invoice-paid.json"),
        new("tokeet", "Tokeet", "Vacation rentals", "https://help.tokeet.com/automation/http-webhook-triggers", Json, "#2E9CDB", "tokeet-guest-created.json"),
        new("trello", "Trello", "Project management", "https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/", Json, "#0C66E4"),
        new("twilio", "Twilio", "Messaging", "https://www.twilio.com/docs/usage/webhooks", Form, "#F22F46"),
        new("typeform", "Typeform", "Forms", "https://www.typeform.com/developers/webhooks/", Json, "#262627"),
        new("vercel", "Vercel", "Developer tools", "https://vercel.com/docs/webhooks", Json, "#000000"),
        new("webflow", "Webflow", "Websites", "https://developers.webflow.com/data/docs/working-with-webhooks", Json, "#146EF5"),
        new("woocommerce", "WooCommerce", "E-commerce", "https://woocommerce.com/document/webhooks/", Json, "#7F54B3"),
        new("xero", "Xero", "Accounting", "https://developer.xero.com/documentation/guides/webhooks/overview/", Json, "#13B5EA"),
        new("zendesk", "Zendesk", "Customer support", "https://developer.zendesk.com/api-reference/webhooks/introduction/", Json, "#03363D", "zendesk-ticket-updated.json"),
        new("zoom", "Zoom", "Meetings", "https://developers.zoom.us/docs/api/webhooks/", Json, "#0B5CFF"),
    ];

    private static readonly Dictionary<string, CatalogApp> ByKey = Apps.ToDictionary(a => a.Key, StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<string, CatalogApp> ByName = Apps.ToDictionary(a => a.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The entry for a stored <see cref="Source.App"/>, or null for a custom source (also for keys no longer in the catalog).</summary>
    public static CatalogApp? Find(string? key) =>
        key is not null && ByKey.TryGetValue(key.Trim(), out var app) ? app : null;

    /// <summary>What to show for a source's app: the catalog name, or "Custom" for anything else.</summary>
    public static string DisplayName(string? key) => Find(key)?.Name ?? "Custom";

    /// <summary>
    /// The key to store for what a caller asked: blank or "custom" → custom; a catalog key or display name in any
    /// case ("Stripe", "STRIPE", "monday.com") → its key; anything else → null, which the API reports as an error
    /// rather than storing a free-text app that would silently show as custom.
    /// </summary>
    public static string? Normalize(string? app)
    {
        if (string.IsNullOrWhiteSpace(app))
            return Custom;
        var wanted = app.Trim();
        if (wanted.Equals(Custom, StringComparison.OrdinalIgnoreCase))
            return Custom;
        return ByKey.TryGetValue(wanted, out var byKey) ? byKey.Key
            : ByName.TryGetValue(wanted, out var byName) ? byName.Key
            : null;
    }

    /// <summary>Entries whose name, key or category contains every word of the query, best matches (name starts with it) first.</summary>
    public static IReadOnlyList<CatalogApp> Search(string? query)
    {
        if (string.IsNullOrWhiteSpace(query))
            return Apps;
        var words = query.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return Apps
            .Where(a => words.All(w => a.Name.Contains(w, StringComparison.OrdinalIgnoreCase)
                                       || a.Key.Contains(w, StringComparison.OrdinalIgnoreCase)
                                       || a.Category.Contains(w, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(a => a.Name.StartsWith(query.Trim(), StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(a => a.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }
}
