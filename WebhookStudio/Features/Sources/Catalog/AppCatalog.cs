using WebhookStudio.Features.Sources.Inbound;
using WebhookStudio.Features.Sources.Pipeline;

namespace WebhookStudio.Features.Sources.Catalog;

/// <summary>
/// An application that sends webhooks, as the "Add a data source" catalog shows it. Every entry is still a
/// custom source underneath (same receiver, same mapping); the entry only names the app, links its own webhook
/// documentation, says what it sends and how it checks the receiver, and brings a sample payload to try the setup
/// without the real app.
/// </summary>
/// <param name="Key">The value stored in <see cref="Source.App"/>: lowercase, at most 50 characters, never changed once shipped.</param>
/// <param name="Sends">The body the app posts; the receiver accepts both kinds.</param>
/// <param name="Color">The letter avatar's background, the app's brand colour.</param>
/// <param name="SampleFile">A file of <c>Catalog/Samples</c> in the shape this app sends.</param>
public sealed record CatalogApp(string Key, string Name, string Category, string DocsUrl, BodyKind Sends, string Color, string SampleFile, AppProfile Profile)
{
    public string ContentType => Sends == BodyKind.Form ? "application/x-www-form-urlencoded" : "application/json";

    /// <summary>Short label for chips and lists.</summary>
    public string SendsLabel => Sends == BodyKind.Form ? "Form post" : "JSON";

    /// <summary>The avatar's letter: "GitHub" → "G", "monday.com" → "M".</summary>
    public string Initial => Name[..1].ToUpperInvariant();
}

/// <summary>What an app sends and how it connects, in the words the catalog shows a business user.</summary>
/// <param name="Events">Its main event types, as the app names them.</param>
/// <param name="WhereToPaste">Where in the app the receiver URL goes, as its screens name it.</param>
/// <param name="Handshake">How the app checks a new receiver URL before it sends events, or null when it simply starts sending.</param>
/// <param name="Verification">The secret it signs or authenticates its requests with, or null when the studio checks none for it.</param>
/// <param name="Mappings">Ready-made entity, id and title paths for its payloads, one per event type (or part of one).</param>
public sealed record AppProfile(IReadOnlyList<string> Events, string WhereToPaste, string? Handshake, AppVerification? Verification, IReadOnlyList<SuggestedMapping> Mappings)
{
    /// <summary>The handshake as a sentence, also when there is none.</summary>
    public string HandshakeText => Handshake ?? "None: it sends events as soon as the URL is saved.";
}

/// <summary>How the studio can tell a request really comes from the app.</summary>
/// <param name="Kind">The source's verification kind, named like the app's catalog key (e.g. "stripe").</param>
/// <param name="SecretName">What the app calls the secret, e.g. "Signing secret".</param>
/// <param name="WhereToFind">Where the app shows (or lets you set) that secret.</param>
/// <param name="DocsUrl">The page of the app's documentation that describes the check.</param>
public sealed record AppVerification(string Kind, string SecretName, string WhereToFind, string DocsUrl);

/// <summary>A mapping that suits one event type of an app; the paths are those of the source settings.</summary>
/// <param name="For">The event type (and, when one event holds several kinds of entity, which one), e.g. "push" or "orders/create line items".</param>
/// <param name="SampleFile">The sample of <c>Catalog/Samples</c> this event looks like, or null for the app's own sample.</param>
public sealed record SuggestedMapping(string For, string EntityPath, string IdPath, string TitlePath, string? SampleFile = null)
{
    public EntityMapping ToEntityMapping() => new(EntityPath, IdPath, TitlePath);
}

/// <summary>
/// The catalog of popular applications that send webhooks. Sources keep the key of their entry; a key that is not
/// (or no longer) here is shown as a custom source, so removing an entry never breaks a stored source.
/// The entries themselves are in AppCatalog.Entries.cs.
/// </summary>
public static partial class AppCatalog
{
    /// <summary>The <see cref="Source.App"/> of a source no catalog entry describes.</summary>
    public const string Custom = "custom";

    // Declared before the lookups below, which are built from it.
    public static IReadOnlyList<CatalogApp> Apps { get; } = Entries();

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

    /// <summary>
    /// Entries whose name, key, category or event types contain every word of the query, best matches (name starts
    /// with it) first; the events let "WhatsApp" find Meta.
    /// </summary>
    public static IReadOnlyList<CatalogApp> Search(string? query)
    {
        if (string.IsNullOrWhiteSpace(query))
            return Apps;
        var words = query.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return Apps
            .Where(a => words.All(w => a.Name.Contains(w, StringComparison.OrdinalIgnoreCase)
                                       || a.Key.Contains(w, StringComparison.OrdinalIgnoreCase)
                                       || a.Category.Contains(w, StringComparison.OrdinalIgnoreCase)
                                       || a.Profile.Events.Any(e => e.Contains(w, StringComparison.OrdinalIgnoreCase))))
            .OrderBy(a => a.Name.StartsWith(query.Trim(), StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(a => a.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }
}
