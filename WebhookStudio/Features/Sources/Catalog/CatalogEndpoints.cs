using Microsoft.AspNetCore.Http.HttpResults;
using WebhookStudio.Api;

namespace WebhookStudio.Features.Sources.Catalog;

public static class CatalogEndpoints
{
    public sealed record AppResponse(string Key, string Name, string Category, string DocsUrl, string ContentType, bool HasSample);

    public static void MapCatalogEndpoints(this IEndpointRouteBuilder app)
    {
        var apps = app.MapStudioApiGroup("/apps", "Sources");
        apps.MapGet("", List).WithSummary("The app catalog: the keys a source's app may take (or \"custom\")").ProducesValidationProblem();
    }

    private static Ok<PagedList<AppResponse>> List(string? search)
    {
        var items = AppCatalog.Search(search)
            .Select(a => new AppResponse(a.Key, a.Name, a.Category, a.DocsUrl, a.ContentType, a.SampleFile is not null))
            .ToList();
        return TypedResults.Ok(new PagedList<AppResponse>(items, items.Count, 1, Math.Max(1, items.Count)));
    }
}
