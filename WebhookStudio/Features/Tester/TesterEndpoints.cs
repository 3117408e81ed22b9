using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using WebhookStudio.Api;
using WebhookStudio.Features.Account;
using WebhookStudio.Infrastructure;

namespace WebhookStudio.Features.Tester;

/// <summary>The request tester's REST API: everything the /tester page does.</summary>
public static class TesterEndpoints
{
    public sealed record CollectionBody(string? Name, string? Description);

    public sealed record SavedRequestBody(string? Name, TesterRequest? Request);

    public static WebApplicationBuilder AddStudioTester(this WebApplicationBuilder builder)
    {
        builder.Services.AddTransient<TesterService>();
        builder.Services.AddSingleton<CollectionService>();
        return builder;
    }

    public static WebApplication MapStudioTester(this WebApplication app)
    {
        // Sending and history are for every role (Testers are the tester's main users); collections are the team's
        // shared notebook, not studio configuration, so Testers may save to them too.
        var tester = app.MapStudioApiGroup("/tester", "Request tester");
        tester.MapPost("/send", Send).WithSummary("Send any HTTP request through the guarded sender and answer the response (kept in your history)")
            .ProducesValidationProblem();
        tester.MapGet("/history", History).WithSummary("Your sent requests, newest first (sensitive values masked)")
            .ProducesValidationProblem();
        tester.MapGet("/history/{id:long}", HistoryEntry).WithSummary("One request of your history, to re-open or re-send")
            .ProducesProblem(StatusCodes.Status404NotFound);
        tester.MapDelete("/history", ClearHistory).WithSummary("Forget your history");
        tester.MapGet("/prefill/source/{sourceId:int}", ForSource).WithSummary("A request to a source's receiver with its app's sample payload")
            .ProducesProblem(StatusCodes.Status404NotFound);
        tester.MapGet("/prefill/subscription/{subscriptionId:int}", ForSubscription)
            .WithSummary("The request a subscription would send for an item (credentials and signature applied when sending)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        tester.MapGet("/collections", ListCollections).WithSummary("Collections of saved requests, shared with the team");
        tester.MapPost("/collections", CreateCollection).WithSummary("Create a collection").ProducesValidationProblem().WithIdempotency();
        tester.MapGet("/collections/{id:int}", GetCollection).WithSummary("One collection with its requests").ProducesProblem(StatusCodes.Status404NotFound);
        tester.MapPut("/collections/{id:int}", UpdateCollection).WithSummary("Rename a collection or change its description")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        tester.MapDelete("/collections/{id:int}", DeleteCollection).WithSummary("Delete a collection and its requests").ProducesProblem(StatusCodes.Status404NotFound);
        tester.MapPost("/collections/{id:int}/requests", AddRequest).WithSummary("Save a named request in a collection (hand-typed credentials are stored masked)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        tester.MapPut("/collections/{id:int}/requests/{requestId:int}", UpdateRequest).WithSummary("Replace a saved request")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        tester.MapDelete("/collections/{id:int}/requests/{requestId:int}", DeleteRequest).WithSummary("Delete a saved request")
            .ProducesProblem(StatusCodes.Status404NotFound);
        tester.MapGet("/collections/{id:int}/export", Export).WithSummary("Export a collection as a JSON file (connectors by name, no secrets)")
            .Produces<CollectionFile>(StatusCodes.Status200OK, "application/json").ProducesProblem(StatusCodes.Status404NotFound);
        tester.MapPost("/collections/import", Import).WithSummary("Import an exported collection file as a new collection")
            .Accepts<CollectionFile>("application/json").ProducesValidationProblem();
        return app;
    }

    public static async Task<TesterCaller> CallerAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var authorization = context.RequestServices.GetRequiredService<IAuthorizationService>();
        var editor = (await authorization.AuthorizeAsync(context.User, StudioPolicies.Edit)).Succeeded;
        var request = context.Request;
        return new TesterCaller(TesterCaller.OwnerOf(context.User), editor, [$"{request.Scheme}://{request.Host}{request.PathBase}"]);
    }

    private static async Task<Ok<TesterResult>> Send(TesterRequest request, TesterService tester, HttpContext context, CancellationToken cancellationToken) =>
        TypedResults.Ok(await tester.SendAsync(request, await CallerAsync(context), cancellationToken));

    private static async Task<Ok<PagedList<HistoryView>>> History([AsParameters] PageRequest page, TesterService tester, HttpContext context, CancellationToken cancellationToken)
    {
        if (page.Validate() is { Count: > 0 } errors) throw new ValidationException(errors);
        return TypedResults.Ok(await tester.HistoryAsync(TesterCaller.OwnerOf(context.User), page, cancellationToken));
    }

    private static async Task<Results<Ok<HistoryView>, ProblemHttpResult>> HistoryEntry(long id, TesterService tester, HttpContext context, CancellationToken cancellationToken) =>
        await tester.HistoryEntryAsync(TesterCaller.OwnerOf(context.User), id, cancellationToken) is { } entry
            ? TypedResults.Ok(entry) : NotFound($"There is no request {id} in your history.");

    private static async Task<NoContent> ClearHistory(TesterService tester, HttpContext context, CancellationToken cancellationToken)
    {
        await tester.ClearHistoryAsync(TesterCaller.OwnerOf(context.User), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<TesterRequest>, ProblemHttpResult>> ForSource(int sourceId, TesterService tester, HttpContext context, CancellationToken cancellationToken) =>
        await tester.ForSourceAsync(sourceId, null, cancellationToken) is { } request ? TypedResults.Ok(request) : NotFound($"There is no source {sourceId}.");

    private static async Task<Results<Ok<TesterRequest>, ProblemHttpResult>> ForSubscription(int subscriptionId, long? itemId, TesterService tester, CancellationToken cancellationToken) =>
        await tester.ForSubscriptionAsync(subscriptionId, itemId, cancellationToken) is { } request ? TypedResults.Ok(request) : NotFound($"There is no subscription {subscriptionId}.");

    private static async Task<Ok<PagedList<CollectionView>>> ListCollections(CollectionService collections, CancellationToken cancellationToken)
    {
        var all = await collections.ListAsync(cancellationToken);
        return TypedResults.Ok(new PagedList<CollectionView>(all, all.Count, 1, Math.Max(all.Count, 1)));
    }

    private static async Task<Created<CollectionView>> CreateCollection(CollectionBody body, CollectionService collections, HttpContext context, CancellationToken cancellationToken)
    {
        var view = await collections.CreateAsync(body.Name, body.Description, context.User.Identity?.Name, cancellationToken);
        return TypedResults.Created($"{StudioApi.Prefix}/tester/collections/{view.Id}", view);
    }

    private static async Task<Results<Ok<CollectionView>, ProblemHttpResult>> GetCollection(int id, CollectionService collections, CancellationToken cancellationToken) =>
        await collections.GetAsync(id, cancellationToken) is { } view ? TypedResults.Ok(view) : CollectionNotFound(id);

    private static async Task<Results<Ok<CollectionView>, ProblemHttpResult>> UpdateCollection(int id, CollectionBody body, CollectionService collections, CancellationToken cancellationToken) =>
        await collections.UpdateAsync(id, body.Name, body.Description, cancellationToken) is { } view ? TypedResults.Ok(view) : CollectionNotFound(id);

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteCollection(int id, CollectionService collections, CancellationToken cancellationToken) =>
        await collections.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : CollectionNotFound(id);

    private static async Task<Results<Created<SavedRequestView>, ProblemHttpResult>> AddRequest(int id, SavedRequestBody body, CollectionService collections, CancellationToken cancellationToken)
    {
        var saved = await collections.SaveRequestAsync(id, null, body.Name, body.Request ?? throw new ValidationException("request", "request is the request to save: {method, url, headers, body, contentType, connectorId}."), cancellationToken);
        return saved is null ? CollectionNotFound(id) : TypedResults.Created($"{StudioApi.Prefix}/tester/collections/{id}/requests/{saved.Id}", saved);
    }

    private static async Task<Results<Ok<SavedRequestView>, ProblemHttpResult>> UpdateRequest(int id, int requestId, SavedRequestBody body, CollectionService collections, CancellationToken cancellationToken)
    {
        var saved = await collections.SaveRequestAsync(id, requestId, body.Name, body.Request ?? throw new ValidationException("request", "request is the request to save: {method, url, headers, body, contentType, connectorId}."), cancellationToken);
        return saved is null ? NotFound($"Collection {id} has no request {requestId}.") : TypedResults.Ok(saved);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteRequest(int id, int requestId, CollectionService collections, CancellationToken cancellationToken) =>
        await collections.DeleteRequestAsync(id, requestId, cancellationToken) ? TypedResults.NoContent() : NotFound($"Collection {id} has no request {requestId}.");

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Export(int id, CollectionService collections, CancellationToken cancellationToken)
    {
        var file = await collections.ExportAsync(id, cancellationToken);
        if (file is null) return CollectionNotFound(id);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(file, StudioJson.Indented);
        return TypedResults.File(bytes, "application/json", FileName(file.Name));
    }

    /// <summary>Reads the raw body so a malformed file gets the parser's line and position instead of a bare 400.</summary>
    private static async Task<Created<CollectionView>> Import(HttpRequest request, CollectionService collections, HttpContext context, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var json = await reader.ReadToEndAsync(cancellationToken);
        var view = await collections.ImportAsync(json, context.User.Identity?.Name, cancellationToken);
        return TypedResults.Created($"{StudioApi.Prefix}/tester/collections/{view.Id}", view);
    }

    public static string FileName(string collectionName)
    {
        var safe = new string(collectionName.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray()).Trim('-');
        while (safe.Contains("--", StringComparison.Ordinal)) safe = safe.Replace("--", "-", StringComparison.Ordinal);
        return (safe.Length == 0 ? "collection" : safe) + ".collection.json";
    }

    private static ProblemHttpResult CollectionNotFound(int id) => NotFound($"There is no collection {id}.");

    private static ProblemHttpResult NotFound(string detail) => TypedResults.Problem(statusCode: 404, title: "Not found", detail: detail);
}
