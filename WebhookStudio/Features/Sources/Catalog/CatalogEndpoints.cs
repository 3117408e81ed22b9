using Microsoft.AspNetCore.Http.HttpResults;
using WebhookStudio.Api;

namespace WebhookStudio.Features.Sources.Catalog;

public static class CatalogEndpoints
{
    /// <param name="WhereToPaste">Where in the app the receiver URL goes, as its screens name it.</param>
    /// <param name="Handshake">How the app checks a new receiver URL, in words; null when it simply starts sending.</param>
    /// <param name="Verification">The secret the app signs its requests with, or null when the studio checks none for it.</param>
    public sealed record AppResponse(string Key, string Name, string Category, string DocsUrl, string ContentType, bool HasSample,
        IReadOnlyList<string> Events, string WhereToPaste, string? Handshake, AppVerificationResponse? Verification, IReadOnlyList<SuggestedMappingResponse> SuggestedMappings);

    /// <param name="Kind">The source verification kind to choose for this app.</param>
    public sealed record AppVerificationResponse(string Kind, string SecretName, string WhereToFind, string DocsUrl);

    /// <param name="For">The event type the mapping suits.</param>
    public sealed record SuggestedMappingResponse(string For, string EntityPath, string IdPath, string TitlePath);

    public static void MapCatalogEndpoints(this IEndpointRouteBuilder app)
    {
        var apps = app.MapStudioApiGroup("/apps", "Sources");
        apps.MapGet("", List).WithSummary("The app catalog: the keys a source's app may take (or \"custom\")").ProducesValidationProblem();
    }

    private static Ok<PagedList<AppResponse>> List(string? search)
    {
        var items = AppCatalog.Search(search)
            .Select(ToResponse)
            .ToList();
        return TypedResults.Ok(new PagedList<AppResponse>(items, items.Count, 1, Math.Max(1, items.Count)));
    }

    private static AppResponse ToResponse(CatalogApp app) =>
        new(app.Key, app.Name, app.Category, app.DocsUrl, app.ContentType, SamplePayloadLibrary.Exists(app.SampleFile), app.Profile.Events, app.Profile.WhereToPaste, app.Profile.Handshake,
            app.Profile.Verification is { } v ? new AppVerificationResponse(v.Kind, v.SecretName, v.WhereToFind, v.DocsUrl) : null,
            [.. app.Profile.Mappings.Select(m => new SuggestedMappingResponse(m.For, m.EntityPath, m.IdPath, m.TitlePath))]);
}
