using Microsoft.AspNetCore.Http.HttpResults;
using WebhookStudio.Api;

namespace WebhookStudio.Features.Notifications;

/// <summary>The bell's notifications: the service and its API.</summary>
public static class NotificationEndpoints
{
    public sealed record NotificationResponse(long Id, NotificationKind Kind, int? SubscriptionId, string Message, string? Link, DateTime CreatedAt, DateTime? ReadAt);

    public static WebApplicationBuilder AddStudioNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<NotificationService>();
        return builder;
    }

    public static WebApplication MapStudioNotifications(this WebApplication app)
    {
        var notifications = app.MapStudioApiGroup("/notifications", "Notifications");
        notifications.MapGet("", ListNotifications).WithSummary("Notifications (e.g. a subscription deactivated after failures), newest first").ProducesValidationProblem();
        notifications.MapPost("/{id:long}/read", MarkRead).WithSummary("Mark a notification read").ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Ok<PagedList<NotificationResponse>>> ListNotifications([AsParameters] PageRequest page, bool? unread, NotificationService notifications,
                                                                                     CancellationToken cancellationToken)
    {
        if (page.Validate() is { Count: > 0 } errors) throw new ValidationException(errors);
        var (items, total) = await notifications.ListAsync(unread ?? false, page, cancellationToken);
        return TypedResults.Ok(new PagedList<NotificationResponse>(
            items.Select(n => new NotificationResponse(n.Id, n.Kind, n.SubscriptionId, n.Message, n.Link, n.CreatedAt, n.ReadAt)).ToList(), total, page.Number, page.Size));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> MarkRead(long id, NotificationService notifications, CancellationToken cancellationToken) =>
        await notifications.MarkReadAsync(id, cancellationToken) ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no notification {id}.");
}
