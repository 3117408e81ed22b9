using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using WebhookStudio.Api;
using WebhookStudio.Features.Account;
using WebhookStudio.Features.Deliveries;

namespace WebhookStudio.Features.Subscriptions;

/// <summary>What a subscription's deliveries answer to: activation with or without replay, deactivation, replaying failures, health.</summary>
public static class SubscriptionDeliveryEndpoints
{
    public sealed record ReplayFailedResponse(int Count);

    public sealed record ActivationResponse(SubscriptionEndpoints.SubscriptionResponse Subscription, int Replayed, int Cancelled);

    public sealed record DeactivateBody(string? Reason);

    /// <param name="subscriptions">The <c>/subscriptions</c> group.</param>
    public static void MapSubscriptionDeliveryEndpoints(this RouteGroupBuilder subscriptions)
    {
        subscriptions.MapPost("/{id:int}/replay-failed", ReplayFailed).WithSummary("Send every failed delivery of the subscription since a time again").ProducesProblem(StatusCodes.Status404NotFound).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization(StudioPolicies.Edit);
        subscriptions.MapPost("/{id:int}/activate", Activate)
            .WithSummary("Reactivate a subscription; replayEvents=true sends its buffered activities (mode=all in order, or mode=latest: the latest state of each item), otherwise they are cancelled").ProducesProblem(StatusCodes.Status404NotFound).ProducesValidationProblem()
            .RequireAuthorization(StudioPolicies.Edit);
        subscriptions.MapPost("/{id:int}/deactivate", Deactivate).WithSummary("Stop sending; new activities are buffered until it is reactivated").ProducesProblem(StatusCodes.Status404NotFound).ProducesValidationProblem()
            .RequireAuthorization(StudioPolicies.Edit);
        subscriptions.MapGet("/{id:int}/delivery-health", Health).WithSummary("Success rate, median latency and the last 50 attempts of a subscription").ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Ok<ReplayFailedResponse>, ProblemHttpResult>> ReplayFailed(int id, DateTime? since, DeliveryService service, CancellationToken cancellationToken)
    {
        try
        {
            return await service.ReplayFailedAsync(id, since?.ToUniversalTime(), cancellationToken) is { } count
                ? TypedResults.Ok(new ReplayFailedResponse(count)) : SubscriptionNotFound(id);
        }
        catch (ConflictException conflict)
        {
            return Conflict(conflict);
        }
    }

    private static async Task<Results<Ok<ActivationResponse>, ProblemHttpResult>> Activate(
        int id, [Description("true: send the buffered activities; false (default): cancel them")] bool? replayEvents,
        [Description("all (default): every buffered activity in order; latest: the latest state of each item")] string? mode,
        DeliveryService service, SubscriptionService subscriptions, CancellationToken cancellationToken)
    {
        var replay = ReplayMode.None;
        if (replayEvents == true)
        {
            replay = string.IsNullOrWhiteSpace(mode) ? ReplayMode.All
                : ApiEnum.Query<ReplayMode>(mode, "mode") is { } parsed && parsed != ReplayMode.None ? parsed
                : throw new ValidationException("mode", "mode is all or latest.");
        }
        if (await service.ActivateAsync(id, replay, cancellationToken) is not { } result) return SubscriptionNotFound(id);
        return TypedResults.Ok(new ActivationResponse(SubscriptionEndpoints.ToResponse((await subscriptions.GetAsync(id, cancellationToken))!), result.Replayed, result.Cancelled));
    }

    private static async Task<Results<Ok<SubscriptionEndpoints.SubscriptionResponse>, ProblemHttpResult>> Deactivate(
        int id, DeactivateBody? body, DeliveryService service, SubscriptionService subscriptions, CancellationToken cancellationToken)
    {
        if (body?.Reason is { Length: > 500 }) throw new ValidationException("reason", "A reason has at most 500 characters.");
        if (await service.DeactivateAsync(id, body?.Reason, cancellationToken) is null) return SubscriptionNotFound(id);
        return TypedResults.Ok(SubscriptionEndpoints.ToResponse((await subscriptions.GetAsync(id, cancellationToken))!));
    }

    private static async Task<Results<Ok<SubscriptionDeliveryHealth>, ProblemHttpResult>> Health(int id, DeliveryService service, SubscriptionService subscriptions,
                                                                                                 CancellationToken cancellationToken)
    {
        if (await subscriptions.GetAsync(id, cancellationToken) is null) return SubscriptionNotFound(id);
        return TypedResults.Ok(await service.HealthAsync(id, cancellationToken));
    }

    private static ProblemHttpResult Conflict(ConflictException conflict) => TypedResults.Problem(statusCode: 409, title: "Not possible now", detail: conflict.Message);

    private static ProblemHttpResult SubscriptionNotFound(int id) => TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no subscription {id}.");
}
