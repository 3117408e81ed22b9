using System.ComponentModel;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using WebhookStudio.Api;
using WebhookStudio.Features.Account;

namespace WebhookStudio.Features.Items;

public static class ItemEndpoints
{
    public sealed record ItemResponse(long Id, int SourceId, string ExternalId, string? Title, JsonElement Data, DateTime CreatedAt, DateTime UpdatedAt, int Version);

    /// <param name="SubscriptionId">Set, with <paramref name="DeliveryId"/>, when a subscription's response mapping wrote the change; <paramref name="TestedBy"/> names who sent it as a test.</param>
    public sealed record ChangeResponse(long Id, ChangeKind Kind, DateTime At, long? PayloadId, JsonElement Fields,
                                        int? SubscriptionId = null, long? DeliveryId = null, string? TestedBy = null, string? Note = null);

    public sealed record ItemDetailResponse(long Id, int SourceId, string ExternalId, string? Title, JsonElement Data,
                                            DateTime CreatedAt, DateTime UpdatedAt, int Version, IReadOnlyList<ChangeResponse> Changes);

    public static WebApplicationBuilder AddStudioItems(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ItemService>();
        return builder;
    }

    public static WebApplication MapStudioItems(this WebApplication app)
    {
        var items = app.MapStudioApiGroup("/items", "Items");
        items.MapGet("", List).WithSummary("Items across sources: filter by source, search within titles, ids and data values, sort, page")
            .ProducesValidationProblem();
        items.MapGet("/{id:long}", Get).WithSummary("One item with its history of field changes")
            .ProducesProblem(StatusCodes.Status404NotFound);
        items.MapDelete("/{id:long}", Erase)
            .WithSummary("Erase an item, its history and the payloads that carried it (for erasure requests)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(StudioPolicies.Edit);
        return app;
    }

    internal static ItemResponse ToResponse(Item i) =>
        new(i.Id, i.SourceId, i.ExternalId, i.Title, ApiJson.Element(i.Data), i.CreatedAt, i.UpdatedAt, i.Version);

    private static async Task<Ok<PagedList<ItemResponse>>> List(
        [AsParameters] PageRequest page, int? sourceId, string? search,
        [Description("updated_desc (default), updated_asc, created_desc, created_asc, title_asc, title_desc, external_id_asc or external_id_desc")] string? sort,
        ItemService items, CancellationToken cancellationToken)
    {
        if (page.Validate() is { Count: > 0 } errors) throw new ValidationException(errors);
        // Read by hand: minimal APIs bind enums by member name only ("TitleAsc"), not as the API writes them.
        var order = ApiEnum.Query<ItemSort>(sort, "sort") ?? ItemSort.UpdatedDesc;
        var (found, total) = await items.ListAsync(new ItemQuery(sourceId, search, order), page, cancellationToken);
        return TypedResults.Ok(new PagedList<ItemResponse>(found.Select(ToResponse).ToList(), total, page.Number, page.Size));
    }

    private static async Task<Results<Ok<ItemDetailResponse>, ProblemHttpResult>> Get(long id, ItemService items, CancellationToken cancellationToken)
    {
        if (await items.GetAsync(id, cancellationToken) is not { } detail)
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no item {id}.");
        var i = detail.Item;
        return TypedResults.Ok(new ItemDetailResponse(i.Id, i.SourceId, i.ExternalId, i.Title, ApiJson.Element(i.Data), i.CreatedAt, i.UpdatedAt, i.Version,
            detail.Changes.Select(c => new ChangeResponse(c.Id, c.Kind, c.At, c.PayloadId, ApiJson.Element(c.Fields), c.SubscriptionId, c.DeliveryId, c.Actor, c.Note)).ToList()));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Erase(long id, ItemService items, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await items.EraseAsync(id, user.Identity?.Name, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no item {id}.");
}
