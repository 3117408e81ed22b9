using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WebhookStudio.Api;
using WebhookStudio.Features.Account;
using WebhookStudio.Features.Sources;

namespace WebhookStudio.Features.Bins;

public static class BinEndpoints
{
    /// <summary>A bin's answer; missing fields take the defaults (200, application/json, no headers, empty body).</summary>
    public sealed record BinResponseBody(int? Status, string? ContentType, Dictionary<string, string>? Headers, string? Body)
    {
        internal BinResponse ToResponse() =>
            new(Status ?? 200, ContentType ?? BinResponse.DefaultContentType, Headers ?? [], Body ?? "");
    }

    public sealed record CreateBinRequest(string? Name, BinResponseBody? Response);

    public sealed record UpdateBinRequest(string? Name, BinResponseBody? Response);

    public sealed record BinAnswer(int Status, string ContentType, IReadOnlyDictionary<string, string> Headers, string Body);

    public sealed record BinDto(int Id, string Name, string Url, string Token, BinAnswer Response, int Requests, DateTime? LastRequestAt,
                                DateTime CreatedAt, DateTime UpdatedAt, DateTime ExpiresAt);

    public sealed record BinRequestDto(long Id, int BinId, DateTime ReceivedAt, string Method, string Path, string QueryString,
                                       string? ContentType, long Size, bool Truncated);

    /// <param name="Body">The body as UTF-8 text, or base64 when <paramref name="BodyEncoding"/> is <c>base64</c> (binary bodies).</param>
    public sealed record BinRequestDetailDto(long Id, int BinId, DateTime ReceivedAt, string Method, string Path, string QueryString,
                                             string? ContentType, long Size, bool Truncated, IReadOnlyDictionary<string, string> Headers,
                                             string? RemoteAddress, string Body, string BodyEncoding);

    public sealed record ClearedResponse(int Removed);

    public static void MapBinEndpoints(this IEndpointRouteBuilder app)
    {
        var bins = app.MapStudioApiGroup("/bins", "Request bins");
        bins.MapPost("", Create)
            .WithSummary("Create a request bin; answers its URL, which accepts any method and content type")
            .ProducesValidationProblem()
            .RequireAuthorization(StudioPolicies.Edit)
            .WithIdempotency();
        bins.MapGet("", List).WithSummary("List request bins with their URLs, request counts and last request, newest first")
            .ProducesValidationProblem();
        bins.MapGet("/{id:int}", Get).WithSummary("Get one request bin")
            .ProducesProblem(StatusCodes.Status404NotFound);
        bins.MapPatch("/{id:int}", Update).WithSummary("Rename a bin or change what it answers (status, content type, headers, body)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(StudioPolicies.Edit);
        bins.MapDelete("/{id:int}", Delete).WithSummary("Delete a bin and its requests; its URL answers 404 from now on")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(StudioPolicies.Edit);
        bins.MapGet("/{id:int}/requests", ListRequests).WithSummary("The requests a bin received, newest first, without bodies")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        bins.MapGet("/{id:int}/requests/{requestId:long}", GetRequest).WithSummary("One received request: method, path, query, headers (secrets masked) and body")
            .ProducesProblem(StatusCodes.Status404NotFound);
        bins.MapDelete("/{id:int}/requests", ClearRequests).WithSummary("Remove every request a bin received; the bin stays")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(StudioPolicies.Edit);
    }

    private static BinDto ToDto(BinSummary summary, ReceiverUrls urls, IOptions<BinOptions> options)
    {
        var b = summary.Bin;
        var r = summary.Response;
        return new BinDto(b.Id, b.Name, urls.Absolute($"{BinReceiver.PathPrefix}/{b.Token}"), b.Token,
            new BinAnswer(r.Status, r.ContentType, r.Headers, r.Body), summary.Requests, summary.LastRequestAt,
            b.CreatedAt, b.UpdatedAt, summary.ExpiresAt(options.Value.RetentionDays));
    }

    private static async Task<Created<BinDto>> Create(CreateBinRequest request, BinService bins, ReceiverUrls urls, IOptions<BinOptions> options,
                                                      ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var bin = await bins.CreateAsync(request.Name, request.Response?.ToResponse(), user.Identity?.Name, cancellationToken);
        return TypedResults.Created($"{StudioApi.Prefix}/bins/{bin.Id}", ToDto(new BinSummary(bin, 0, null), urls, options));
    }

    private static async Task<Ok<PagedList<BinDto>>> List([AsParameters] PageRequest page, BinService bins, ReceiverUrls urls, IOptions<BinOptions> options,
                                                           CancellationToken cancellationToken)
    {
        if (page.Validate() is { Count: > 0 } errors) throw new ValidationException(errors);
        var (items, total) = await bins.ListAsync(page, cancellationToken);
        return TypedResults.Ok(new PagedList<BinDto>(items.Select(i => ToDto(i, urls, options)).ToList(), total, page.Number, page.Size));
    }

    private static async Task<Results<Ok<BinDto>, ProblemHttpResult>> Get(int id, BinService bins, ReceiverUrls urls, IOptions<BinOptions> options,
                                                                          CancellationToken cancellationToken) =>
        await bins.GetAsync(id, cancellationToken) is { } summary ? TypedResults.Ok(ToDto(summary, urls, options)) : NotFoundBin(id);

    private static async Task<Results<Ok<BinDto>, ProblemHttpResult>> Update(int id, UpdateBinRequest request, BinService bins, ReceiverUrls urls,
                                                                             IOptions<BinOptions> options, CancellationToken cancellationToken)
    {
        if (await bins.UpdateAsync(id, request.Name, request.Response?.ToResponse(), cancellationToken) is null)
            return NotFoundBin(id);
        return TypedResults.Ok(ToDto((await bins.GetAsync(id, cancellationToken))!, urls, options));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(int id, BinService bins, CancellationToken cancellationToken) =>
        await bins.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : NotFoundBin(id);

    private static async Task<Results<Ok<PagedList<BinRequestDto>>, ProblemHttpResult>> ListRequests(
        int id, [AsParameters] PageRequest page, BinService bins, CancellationToken cancellationToken)
    {
        if (page.Validate() is { Count: > 0 } errors) throw new ValidationException(errors);
        if (await bins.ListRequestsAsync(id, page, cancellationToken) is not var (items, total))
            return NotFoundBin(id);
        return TypedResults.Ok(new PagedList<BinRequestDto>(
            items.Select(r => new BinRequestDto(r.Id, r.BinId, r.ReceivedAt, r.Method, r.Path, r.QueryString, r.ContentType, r.Size, r.Truncated)).ToList(),
            total, page.Number, page.Size));
    }

    private static async Task<Results<Ok<BinRequestDetailDto>, ProblemHttpResult>> GetRequest(int id, long requestId, BinService bins, CancellationToken cancellationToken)
    {
        if (await bins.GetRequestAsync(id, requestId, cancellationToken) is not { } r)
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"Bin {id} has no request #{requestId}.");
        var text = BinBody.Text(r.Body, r.Truncated);
        return TypedResults.Ok(new BinRequestDetailDto(r.Id, r.BinId, r.ReceivedAt, r.Method, r.Path, r.QueryString, r.ContentType, r.Size, r.Truncated,
            BinBody.MaskedHeaders(r), r.RemoteAddress, text ?? Convert.ToBase64String(r.Body), text is null ? "base64" : "utf8"));
    }

    private static async Task<Results<Ok<ClearedResponse>, ProblemHttpResult>> ClearRequests(int id, BinService bins, CancellationToken cancellationToken) =>
        await bins.ClearRequestsAsync(id, cancellationToken) is { } removed ? TypedResults.Ok(new ClearedResponse(removed)) : NotFoundBin(id);

    private static ProblemHttpResult NotFoundBin(int id) =>
        TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no request bin {id}.");
}
