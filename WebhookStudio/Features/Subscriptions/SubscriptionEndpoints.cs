using System.ComponentModel;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using WebhookStudio.Api;
using WebhookStudio.Features.Account;
using WebhookStudio.Features.Deliveries;
using WebhookStudio.Features.Outbound;
using WebhookStudio.Features.Outbound.Templates;

namespace WebhookStudio.Features.Subscriptions;

public static class SubscriptionEndpoints
{
    public sealed record LastDeliveryResponse(DeliveryStatus Status, DateTime? At, string? Error);

    public sealed record SubscriptionResponse(
        int Id, string Name, string App, int? SourceId, string? SourceName, IReadOnlyList<string> Events, JsonElement? Condition,
        string Method, string Url, IReadOnlyList<NameValue> QueryParameters, IReadOnlyList<NameValue> Headers, bool ParametersInHeaders,
        int? ConnectorId, string? ConnectorName, BodyFormat BodyFormat, string? BodyTemplate, IReadOnlyList<ResponseMappingRule> ResponseMapping,
        int MaxAttempts, bool PreserveOrder, bool Active, string? DeactivationReason, DateTime? DeactivatedAt, DateTime? DeletedAt,
        DateTime? PreviousSigningSecretExpiresAt, LastDeliveryResponse? LastDelivery, double? SuccessRate, int BufferedEvents,
        DateTime CreatedAt, DateTime UpdatedAt, string? SigningSecret, IReadOnlyDictionary<string, string[]>? Warnings = null);

    /// <param name="ApplyMapping">Test only: write the answer onto the item through the response mapping (Editors); otherwise it is previewed.</param>
    public sealed record ActivityBody(long? ItemId, JsonElement? Activity, string? Event, bool? ApplyMapping = null);

    public sealed record ResponseBody(int Status, string? Reason, IReadOnlyList<HeaderLine> Headers, string Body, bool Truncated);

    /// <param name="Applied">False when <paramref name="Written"/> lists what the mapping would write, nothing being changed.</param>
    public sealed record MappingResponse(IReadOnlyList<string> Written, IReadOnlyList<string> Problems, long? ChangeId, bool Applied);

    public sealed record ExampleResponse(string Event, bool FromSample, long? ItemId, RequestSummary Request);

    public sealed record TestResponse(long DeliveryId, bool Succeeded, FailureKind Failure, string? Error, double DurationMs,
        string Event, bool FromSample, long? ItemId, RequestSummary Request, ResponseBody? Response, MappingResponse Mapping);

    public static WebApplicationBuilder AddStudioSubscriptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TemplateVariables>();
        builder.Services.AddSingleton<SubscriptionService>();
        builder.Services.AddSingleton<ResponseMapper>();
        builder.Services.AddTransient<SubscriptionTester>();
        return builder;
    }

    public static WebApplication MapStudioSubscriptions(this WebApplication app)
    {
        var group = app.MapStudioApiGroup("/subscriptions", "Subscriptions");
        group.MapSubscriptionDeliveryEndpoints();
        group.MapGet("", List).WithSummary("List subscriptions, filtered by app, event, active or source").ProducesValidationProblem();
        group.MapGet("/deleted", ListDeleted).WithSummary("List deleted subscriptions (restorable)").ProducesValidationProblem();
        group.MapGet("/variables", Variables).WithSummary("The template variables of a scope (a source, or all), from its latest items").ProducesValidationProblem();
        group.MapGet("/{id:int}", Get).WithSummary("Get one subscription").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("", Create).WithSummary("Create a subscription: app, event (or events) and url are required; answers the signing secret once").ProducesValidationProblem()
            .RequireAuthorization(StudioPolicies.Edit).WithIdempotency();
        group.MapPut("/{id:int}", Update).WithSummary("Replace a subscription's settings (the same body as create; omitted fields get their defaults)").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(StudioPolicies.Edit);
        group.MapPatch("/{id:int}", Patch).WithSummary("Change some of a subscription's settings (JSON merge patch: the fields given replace the stored ones, null resets one to its default)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).RequireAuthorization(StudioPolicies.Edit);
        group.MapDelete("/{id:int}", Delete).WithSummary("Delete a subscription (soft: it moves to the deleted list)").ProducesProblem(StatusCodes.Status404NotFound).RequireAuthorization(StudioPolicies.Edit);
        group.MapPost("/{id:int}/restore", Restore).WithSummary("Restore a deleted subscription").ProducesProblem(StatusCodes.Status404NotFound).RequireAuthorization(StudioPolicies.Edit);
        group.MapPost("/{id:int}/duplicate", Duplicate).WithSummary("Copy a subscription (inactive, with its own signing secret)").ProducesProblem(StatusCodes.Status404NotFound).RequireAuthorization(StudioPolicies.Edit);
        group.MapPost("/{id:int}/rotate-secret", Rotate).WithSummary("New signing secret, answered once; the old one keeps signing for 24 h").ProducesProblem(StatusCodes.Status404NotFound).RequireAuthorization(StudioPolicies.Edit);
        group.MapPost("/{id:int}/example", Example).WithSummary("Exactly what would be sent for an item or a hand-written activity (secrets masked); sends nothing").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:int}/test", Test).WithSummary("Send now for an item or a hand-written activity and answer the receiver's response; recorded as a test delivery. The response mapping is previewed, and written onto the item only with applyMapping (Editors)").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    internal static SubscriptionResponse ToResponse(SubscriptionSummary summary, string? secret = null)
    {
        var s = summary.Subscription;
        var stats = summary.Stats;
        return new SubscriptionResponse(s.Id, s.Name, s.App, s.SourceId, summary.SourceName, ActivityNames.Names(s.Activities),
            s.Condition is null ? null : ApiJson.Element(s.Condition), s.Method.ToString().ToUpperInvariant(), s.Url, s.QueryParameters, s.Headers,
            s.ParametersInHeaders, s.ConnectorId, summary.ConnectorName, s.BodyFormat, s.BodyTemplate, s.ResponseMapping, s.MaxAttempts,
            s.PreserveOrder, s.Active, s.DeactivationReason, s.DeactivatedAt, s.DeletedAt,
            s.PreviousSigningSecretExpiresAt > DateTime.UtcNow ? s.PreviousSigningSecretExpiresAt : null,
            stats.LastStatus is { } status ? new LastDeliveryResponse(status, stats.LastAt, stats.LastError) : null, stats.SuccessRate, stats.Buffered,
            s.CreatedAt, s.UpdatedAt, secret);
    }

    private static async Task<Ok<PagedList<SubscriptionResponse>>> List(
        [AsParameters] PageRequest page, string? app, [Description("item.created, item.updated, item.deleted or payload.received")] string? @event,
        bool? active, int? sourceId, SubscriptionService subscriptions, CancellationToken cancellationToken)
    {
        if (page.Validate() is { Count: > 0 } errors) throw new ValidationException(errors);
        Activities? activity = null;
        if (!string.IsNullOrWhiteSpace(@event))
            activity = ActivityNames.TryParse(@event, out var parsed) ? parsed
                : throw new ValidationException("event", "event is item.created, item.updated, item.deleted or payload.received.");
        var (items, total) = await subscriptions.ListAsync(new SubscriptionQuery(app, activity, active, sourceId), page, cancellationToken);
        return TypedResults.Ok(new PagedList<SubscriptionResponse>(items.Select(i => ToResponse(i)).ToList(), total, page.Number, page.Size));
    }

    private static async Task<Ok<PagedList<SubscriptionResponse>>> ListDeleted([AsParameters] PageRequest page, SubscriptionService subscriptions, CancellationToken cancellationToken)
    {
        if (page.Validate() is { Count: > 0 } errors) throw new ValidationException(errors);
        var (items, total) = await subscriptions.ListAsync(new SubscriptionQuery(Deleted: true), page, cancellationToken);
        return TypedResults.Ok(new PagedList<SubscriptionResponse>(items.Select(i => ToResponse(i)).ToList(), total, page.Number, page.Size));
    }

    private static async Task<Ok<VariableList>> Variables(int? sourceId, TemplateVariables variables, CancellationToken cancellationToken) =>
        TypedResults.Ok(await variables.ForScopeAsync(sourceId, cancellationToken));

    private static async Task<Results<Ok<SubscriptionResponse>, ProblemHttpResult>> Get(int id, SubscriptionService subscriptions, CancellationToken cancellationToken) =>
        await subscriptions.GetAsync(id, cancellationToken) is { } summary ? TypedResults.Ok(ToResponse(summary)) : NotFound(id);

    private static async Task<Created<SubscriptionResponse>> Create(JsonElement body, SubscriptionService subscriptions, CancellationToken cancellationToken)
    {
        var created = await subscriptions.CreateAsync(await SubscriptionBodyReader.ReadAsync(body, subscriptions, cancellationToken), cancellationToken);
        var summary = (await subscriptions.GetAsync(created.Subscription.Id, cancellationToken))!;
        return TypedResults.Created($"{StudioApi.Prefix}/subscriptions/{created.Subscription.Id}",
            ToResponse(summary, created.SigningSecret) with { Warnings = await WarningsAsync(summary, subscriptions, cancellationToken) });
    }

    private static async Task<Results<Ok<SubscriptionResponse>, ProblemHttpResult>> Update(int id, JsonElement body, SubscriptionService subscriptions, CancellationToken cancellationToken)
    {
        if (await subscriptions.UpdateAsync(id, await SubscriptionBodyReader.ReadAsync(body, subscriptions, cancellationToken), cancellationToken) is null) return NotFound(id);
        var summary = (await subscriptions.GetAsync(id, cancellationToken))!;
        return TypedResults.Ok(ToResponse(summary) with { Warnings = await WarningsAsync(summary, subscriptions, cancellationToken) });
    }

    /// <summary>Saved, but worth knowing: e.g. the URL's host resolves to an address the sender refuses. Null when there is none.</summary>
    private static async Task<IReadOnlyDictionary<string, string[]>?> WarningsAsync(SubscriptionSummary summary, SubscriptionService subscriptions, CancellationToken cancellationToken) =>
        await subscriptions.UrlWarningAsync(summary.Subscription.Url, cancellationToken) is { } warning
            ? new Dictionary<string, string[]> { ["url"] = [warning] }
            : null;

    private static async Task<Results<Ok<SubscriptionResponse>, ProblemHttpResult>> Patch(int id, JsonElement body, SubscriptionService subscriptions, CancellationToken cancellationToken)
    {
        if (await subscriptions.GetAsync(id, cancellationToken) is not { } current) return NotFound(id);
        var merged = SubscriptionBodyReader.Merge(current.Subscription, body);
        return await Update(id, merged, subscriptions, cancellationToken);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(int id, SubscriptionService subscriptions, CancellationToken cancellationToken) =>
        await subscriptions.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : NotFound(id);

    private static async Task<Results<Ok<SubscriptionResponse>, ProblemHttpResult>> Restore(int id, SubscriptionService subscriptions, CancellationToken cancellationToken)
    {
        if (await subscriptions.RestoreAsync(id, cancellationToken) is null)
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no deleted subscription {id}.");
        return TypedResults.Ok(ToResponse((await subscriptions.GetAsync(id, cancellationToken))!));
    }

    private static async Task<Results<Created<SubscriptionResponse>, ProblemHttpResult>> Duplicate(int id, SubscriptionService subscriptions, CancellationToken cancellationToken)
    {
        if (await subscriptions.DuplicateAsync(id, cancellationToken) is not { } copy) return NotFound(id);
        var summary = (await subscriptions.GetAsync(copy.Subscription.Id, cancellationToken))!;
        return TypedResults.Created($"{StudioApi.Prefix}/subscriptions/{copy.Subscription.Id}", ToResponse(summary, copy.SigningSecret));
    }

    private static async Task<Results<Ok<SubscriptionResponse>, ProblemHttpResult>> Rotate(int id, SubscriptionService subscriptions, CancellationToken cancellationToken)
    {
        if (await subscriptions.RotateSecretAsync(id, cancellationToken) is not { } rotated) return NotFound(id);
        return TypedResults.Ok(ToResponse((await subscriptions.GetAsync(id, cancellationToken))!, rotated.SigningSecret));
    }

    private static TestActivity Activity(ActivityBody? body) => new(body?.ItemId,
        body?.Activity is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } json ? json.GetRawText() : null, body?.Event);

    private static async Task<Results<Ok<ExampleResponse>, ProblemHttpResult>> Example(int id, ActivityBody? body, SubscriptionTester tester, CancellationToken cancellationToken)
    {
        if (await tester.ExampleAsync(id, Activity(body), cancellationToken) is not { } example) return NotFound(id);
        return TypedResults.Ok(new ExampleResponse(example.Activity, example.FromSample, example.ItemId, example.Request));
    }

    private static async Task<Results<Ok<TestResponse>, ProblemHttpResult>> Test(int id, ActivityBody? body, SubscriptionTester tester,
                                                                                ClaimsPrincipal user, IAuthorizationService authorization, CancellationToken cancellationToken)
    {
        var applyMapping = body?.ApplyMapping == true;
        if (applyMapping && !(await authorization.AuthorizeAsync(user, StudioPolicies.Edit)).Succeeded)
            return TypedResults.Problem(statusCode: 403, title: "Not allowed",
                detail: "applyMapping: only Editors and Admins may write a test's answer onto the item; leave it out to see what the mapping would write.");
        if (await tester.TestAsync(id, Activity(body), applyMapping, user.Identity?.Name, cancellationToken) is not { } test) return NotFound(id);
        var r = test.Result;
        return TypedResults.Ok(new TestResponse(test.DeliveryId, r.Succeeded, r.Failure, r.Error, Math.Round(r.Duration.TotalMilliseconds, 1),
            test.Example.Activity, test.Example.FromSample, test.Example.ItemId, r.Request,
            r.Response is { } response ? new ResponseBody(response.StatusCode, response.ReasonPhrase, response.Headers, response.Body, response.Truncated) : null,
            new MappingResponse(test.Mapping.Written, test.Mapping.Problems, test.Mapping.ChangeId, !test.Mapping.Preview)));
    }

    private static ProblemHttpResult NotFound(int id) => TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no subscription {id}.");
}
