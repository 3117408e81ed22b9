using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using WebhookStudio.Api;
using WebhookStudio.Features.Account;
using WebhookStudio.Features.Outbound;
using WebhookStudio.Features.Outbound.Templates;

namespace WebhookStudio.Features.Deliveries;

public static class DeliveryEndpoints
{
    public sealed record DeliveryResponse(
        long Id, int SubscriptionId, string SubscriptionName, string Event, string WebhookId, DeliveryStatus Status, int AttemptCount,
        DateTime? NextAttemptAt, long? ItemId, long? PayloadId, int? LastStatusCode, FailureKind LastFailure, string? LastError,
        DateTime CreatedAt, DateTime? CompletedAt, long? ReplayOfId, bool IsTest);

    public sealed record AttemptResponse(long Id, DateTime At, int DurationMs, JsonElement Request, int? ResponseStatus, JsonElement? ResponseHeaders,
        string? ResponseBody, bool ResponseTruncated, FailureKind Failure, string? Error);

    public sealed record DeliveryDetailResponse(DeliveryResponse Delivery, bool SubscriptionActive, IReadOnlyList<AttemptResponse> Attempts);

    public static void MapDeliveryEndpoints(this WebApplication app)
    {
        var deliveries = app.MapStudioApiGroup("/deliveries", "Deliveries");
        deliveries.MapGet("", List).WithSummary("The delivery log, newest first, filtered by subscription, status, item, event, time range or HTTP status").ProducesValidationProblem();
        deliveries.MapGet("/counts", Counts).WithSummary("How many deliveries of each status match the same filters as the list").ProducesValidationProblem();
        deliveries.MapGet("/{id:long}", Get).WithSummary("One delivery with every attempt: the request as sent (secrets masked) and the answer or the error").ProducesProblem(StatusCodes.Status404NotFound);
        deliveries.MapPost("/{id:long}/retry", Retry).WithSummary("Send a pending or failed delivery now (a failed one starts a new chain of attempts, same webhook-id)").ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization(StudioPolicies.Edit);
        deliveries.MapPost("/{id:long}/replay", Replay).WithSummary("Send the same activity again as a new delivery; the same webhook-id unless newWebhookId=true").ProducesProblem(StatusCodes.Status404NotFound).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization(StudioPolicies.Edit);
    }

    internal static DeliveryResponse ToResponse(Delivery d, string subscriptionName) => new(
        d.Id, d.SubscriptionId, subscriptionName, ActivityNames.Name(d.Activity), d.WebhookId, d.Status, d.AttemptCount,
        d.Status == DeliveryStatus.Pending ? d.NextAttemptAt : null, d.ItemId, d.PayloadId, d.LastStatusCode, d.LastFailure, d.LastError,
        d.CreatedAt, d.CompletedAt, d.ReplayOfId, d.IsTest);

    private const string TestDescription = "true: only tests sent with the Test button; false: only deliveries of activities; absent: both";

    private static DeliveryQuery Query(int? subscriptionId, string? status, long? itemId, string? @event, DateTime? from, DateTime? to, int? httpStatus, bool? test)
    {
        Activities? activity = null;
        if (!string.IsNullOrWhiteSpace(@event))
            activity = ActivityNames.TryParse(@event, out var parsed) ? parsed
                : throw new ValidationException("event", "event is item.created, item.updated, item.deleted or payload.received.");
        if (httpStatus is < 100 or > 599)
            throw new ValidationException("httpStatus", "httpStatus is an HTTP status code between 100 and 599.");
        if (from > to)
            throw new ValidationException("to", "to must come after from.");
        return new DeliveryQuery(subscriptionId, ApiEnum.Query<DeliveryStatus>(status, "status"), itemId, activity, from?.ToUniversalTime(), to?.ToUniversalTime(), httpStatus, test);
    }

    private static async Task<Ok<PagedList<DeliveryResponse>>> List(
        [AsParameters] PageRequest page, int? subscriptionId,
        [Description("pending, delivered, failed, buffered, cancelled or expired")] string? status, long? itemId,
        [Description("item.created, item.updated, item.deleted or payload.received")] string? @event,
        DateTime? from, DateTime? to, [Description("the last answer's HTTP status, e.g. 500")] int? httpStatus, [Description(TestDescription)] bool? test,
        DeliveryService service, CancellationToken cancellationToken)
    {
        if (page.Validate() is { Count: > 0 } errors) throw new ValidationException(errors);
        var (items, total) = await service.ListAsync(Query(subscriptionId, status, itemId, @event, from, to, httpStatus, test), page, cancellationToken);
        return TypedResults.Ok(new PagedList<DeliveryResponse>(items.Select(r => ToResponse(r.Delivery, r.SubscriptionName)).ToList(), total, page.Number, page.Size));
    }

    private static async Task<Ok<IReadOnlyDictionary<DeliveryStatus, int>>> Counts(int? subscriptionId, long? itemId, string? @event, DateTime? from, DateTime? to,
                                                                                  int? httpStatus, [Description(TestDescription)] bool? test,
                                                                                  DeliveryService service, CancellationToken cancellationToken) =>
        TypedResults.Ok(await service.CountsAsync(Query(subscriptionId, null, itemId, @event, from, to, httpStatus, test), cancellationToken));

    private static async Task<Results<Ok<DeliveryDetailResponse>, ProblemHttpResult>> Get(long id, DeliveryService service, CancellationToken cancellationToken)
    {
        if (await service.GetAsync(id, cancellationToken) is not { } detail) return NotFound(id);
        return TypedResults.Ok(new DeliveryDetailResponse(ToResponse(detail.Delivery, detail.SubscriptionName), detail.SubscriptionActive,
            detail.Attempts.Select(a => new AttemptResponse(a.Id, a.At, a.DurationMs, ApiJson.Element(a.Request), a.ResponseStatus,
                a.ResponseHeaders is null ? null : ApiJson.Element(a.ResponseHeaders), a.ResponseBody, a.ResponseTruncated, a.FailureKind, a.Error)).ToList()));
    }

    private static async Task<Results<Accepted<DeliveryResponse>, ProblemHttpResult>> Retry(long id, DeliveryService service, CancellationToken cancellationToken)
    {
        try
        {
            if (await service.RetryNowAsync(id, cancellationToken) is not { } delivery) return NotFound(id);
            var name = (await service.GetAsync(id, cancellationToken))!.SubscriptionName;
            return TypedResults.Accepted($"{StudioApi.Prefix}/deliveries/{id}", ToResponse(delivery, name));
        }
        catch (ConflictException conflict)
        {
            return Conflict(conflict);
        }
    }

    private static async Task<Results<Created<DeliveryResponse>, ProblemHttpResult>> Replay(long id, bool? newWebhookId, DeliveryService service, CancellationToken cancellationToken)
    {
        try
        {
            if (await service.ReplayAsync(id, newWebhookId ?? false, cancellationToken) is not { } copy) return NotFound(id);
            var name = (await service.GetAsync(copy.Id, cancellationToken))!.SubscriptionName;
            return TypedResults.Created($"{StudioApi.Prefix}/deliveries/{copy.Id}", ToResponse(copy, name));
        }
        catch (ConflictException conflict)
        {
            return Conflict(conflict);
        }
    }

    private static ProblemHttpResult NotFound(long id) => TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no delivery {id}.");

    private static ProblemHttpResult Conflict(ConflictException conflict) => TypedResults.Problem(statusCode: 409, title: "Not possible now", detail: conflict.Message);
}
