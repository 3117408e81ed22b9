using System.ComponentModel;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Newtonsoft.Json.Linq;
using WebhookStudio.Api;
using WebhookStudio.Features.Account;
using WebhookStudio.Features.Sources.Inbound;
using WebhookStudio.Features.Sources.Receiving;

namespace WebhookStudio.Features.Sources;

public static class SourceEndpoints
{
    public sealed record CreateSourceRequest(string? Name, string? App);

    /// <param name="Secret">The saved secret masked, its last 4 characters shown; null when none is saved.</param>
    /// <param name="VerifyToken">Meta's verify token, masked the same way.</param>
    public sealed record VerificationResponse(
        VerificationKind Kind, string? HeaderName, int ToleranceSeconds, bool SecretSet, string? Secret, string? VerifyToken,
        CustomSignature? Custom);

    public sealed record SourceResponse(
        int Id, string Name, string App, string Token, string ReceiverUrl, SourceStatus Status, bool LiveStream,
        string EntityPath, string? IdPath, string? TitlePath, FetchMode FetchMode, JsonElement? Filter,
        VerificationResponse Verification, string? DedupKey, int? RetentionDays,
        DateTime CreatedAt, DateTime UpdatedAt, DateTime? LastPayloadAt, int PayloadsToday, int Items, int PendingPayloads);

    public sealed record PayloadResponse(
        long Id, int SourceId, DateTime ReceivedAt, string ContentType, int Size, PayloadOutcome Outcome, string? Reason,
        int Created, int Updated, int Unchanged, long? DuplicateOf, DateTime? ProcessedAt);

    public sealed record PayloadDetailResponse(PayloadResponse Payload, IReadOnlyDictionary<string, string> Headers, string? RemoteAddress, string Body);

    public sealed record PreviewBody(long? PayloadId, JsonElement? Payload, string? EntityPath, string? IdPath, string? TitlePath, JsonElement? Filter);

    public sealed record PreviewEntity(string? ExternalId, string? Title, string? Error, JsonElement Data);

    public sealed record PreviewResponse(bool Passed, string? Reason, IReadOnlyList<PreviewEntity> Entities);

    public sealed record ReprocessBody(DateTime? Since);

    public sealed record ReprocessResponse(int Queued);

    public static void MapSourceEndpoints(this IEndpointRouteBuilder app)
    {
        var sources = app.MapStudioApiGroup("/sources", "Sources");
        const int notFound = StatusCodes.Status404NotFound;
        sources.MapGet("", List).WithSummary("List sources with their receiver URLs and today's figures")
            .ProducesValidationProblem();
        sources.MapGet("/{id:int}", Get).WithSummary("Get one source")
            .ProducesProblem(notFound);
        sources.MapPost("", Create).WithSummary("Create a source; answers its receiver URL")
            .ProducesValidationProblem()
            .RequireAuthorization(StudioPolicies.Edit).WithIdempotency();
        sources.MapPatch("/{id:int}", Patch).WithSummary("Change a source's mapping, filter, live stream, verification or de-duplication")
            .ProducesValidationProblem().ProducesProblem(notFound)
            .RequireAuthorization(StudioPolicies.Edit);
        sources.MapPost("/{id:int}/pause", (int id, SourceService s, ReceiverUrls u, SourceSecrets k, CancellationToken c) => SetLive(id, false, s, u, k, c))
            .WithSummary("Turn the live stream off: payloads are stored but not processed")
            .ProducesProblem(notFound)
            .RequireAuthorization(StudioPolicies.Edit);
        sources.MapPost("/{id:int}/resume", (int id, SourceService s, ReceiverUrls u, SourceSecrets k, CancellationToken c) => SetLive(id, true, s, u, k, c))
            .WithSummary("Turn the live stream on")
            .ProducesValidationProblem().ProducesProblem(notFound)
            .RequireAuthorization(StudioPolicies.Edit);
        sources.MapPost("/{id:int}/rotate-token", RotateToken).WithSummary("Give the source a new receiver URL; the old one stops working")
            .ProducesProblem(notFound)
            .RequireAuthorization(StudioPolicies.Edit);
        sources.MapDelete("/{id:int}", Delete).WithSummary("Delete a source; its receiver URL stops working")
            .ProducesProblem(notFound)
            .RequireAuthorization(StudioPolicies.Edit);
        sources.MapPost("/{id:int}/preview", Preview).WithSummary("What a candidate mapping and filter make of a payload; saves nothing")
            .ProducesValidationProblem().ProducesProblem(notFound);
        sources.MapPost("/{id:int}/reprocess", Reprocess).WithSummary("Run the current mapping over stored payloads again")
            .ProducesValidationProblem().ProducesProblem(notFound)
            .RequireAuthorization(StudioPolicies.Edit);
        sources.MapGet("/{id:int}/payloads", ListPayloads).WithSummary("A source's received payloads with their outcomes, newest first")
            .ProducesValidationProblem().ProducesProblem(notFound);
        sources.MapPost("/{id:int}/verification/check", CheckVerification)
            .WithSummary("Whether a stored payload passes the saved verification, or the one in the body; says which part differs")
            .ProducesValidationProblem().ProducesProblem(notFound);
        sources.MapGet("/{id:int}/payloads/{payloadId:long}", GetPayload).WithSummary("One payload: headers (secrets masked), body and outcome")
            .ProducesProblem(notFound);
    }

    internal static SourceResponse ToResponse(SourceSummary summary, ReceiverUrls urls, SourceSecrets secrets)
    {
        var s = summary.Source;
        var verification = new VerificationResponse(s.VerificationKind, s.VerificationHeader, s.VerificationToleranceSeconds,
            s.VerificationSecretProtected is not null, secrets.Masked(s.VerificationSecretProtected), secrets.Masked(s.VerifyTokenProtected),
            CustomSignatures.Read(s.VerificationCustom));
        return new SourceResponse(s.Id, s.Name, s.App, s.Token, urls.For(s.Token), s.Status, s.LiveStream,
            s.EntityPath, s.IdPath, s.TitlePath, s.FetchMode, s.Filter is null ? null : ApiJson.Element(s.Filter),
            verification,
            s.DedupKey, s.RetentionDays, s.CreatedAt, s.UpdatedAt, s.LastPayloadAt, summary.PayloadsToday, summary.Items, summary.Pending);
    }

    private static async Task<Ok<PagedList<SourceResponse>>> List([AsParameters] PageRequest page, SourceService sources, ReceiverUrls urls, SourceSecrets secrets, CancellationToken cancellationToken)
    {
        if (page.Validate() is { Count: > 0 } errors) throw new ValidationException(errors);
        var (items, total) = await sources.ListAsync(page, cancellationToken);
        return TypedResults.Ok(new PagedList<SourceResponse>(items.Select(i => ToResponse(i, urls, secrets)).ToList(), total, page.Number, page.Size));
    }

    private static async Task<Results<Ok<SourceResponse>, ProblemHttpResult>> Get(int id, SourceService sources, ReceiverUrls urls, SourceSecrets secrets, CancellationToken cancellationToken) =>
        await sources.GetAsync(id, cancellationToken) is { } summary ? TypedResults.Ok(ToResponse(summary, urls, secrets)) : NotFoundSource(id);

    private static async Task<Created<SourceResponse>> Create(CreateSourceRequest request, SourceService sources, ReceiverUrls urls, SourceSecrets secrets, CancellationToken cancellationToken)
    {
        var source = await sources.CreateAsync(request.Name, request.App, cancellationToken);
        return TypedResults.Created($"{StudioApi.Prefix}/sources/{source.Id}", ToResponse(new SourceSummary(source, 0, 0, 0), urls, secrets));
    }

    private static async Task<Results<Ok<SourceResponse>, ProblemHttpResult>> Patch(int id, JsonElement body, SourceService sources, ReceiverUrls urls, SourceSecrets secrets, CancellationToken cancellationToken)
    {
        var patch = SourcePatchReader.Read(body);
        if (await sources.UpdateAsync(id, patch, cancellationToken) is null) return NotFoundSource(id);
        return TypedResults.Ok(ToResponse((await sources.GetAsync(id, cancellationToken))!, urls, secrets));
    }

    private static async Task<Results<Ok<SourceResponse>, ProblemHttpResult>> SetLive(int id, bool live, SourceService sources, ReceiverUrls urls, SourceSecrets secrets, CancellationToken cancellationToken)
    {
        if (await sources.SetLiveStreamAsync(id, live, cancellationToken) is null) return NotFoundSource(id);
        return TypedResults.Ok(ToResponse((await sources.GetAsync(id, cancellationToken))!, urls, secrets));
    }

    private static async Task<Results<Ok<SourceResponse>, ProblemHttpResult>> RotateToken(int id, SourceService sources, ReceiverUrls urls, SourceSecrets secrets, CancellationToken cancellationToken)
    {
        if (await sources.RotateTokenAsync(id, cancellationToken) is null) return NotFoundSource(id);
        return TypedResults.Ok(ToResponse((await sources.GetAsync(id, cancellationToken))!, urls, secrets));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(int id, SourceService sources, CancellationToken cancellationToken) =>
        await sources.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : NotFoundSource(id);

    private static async Task<Results<Ok<PreviewResponse>, ProblemHttpResult>> Preview(int id, PreviewBody body, SourceService sources, CancellationToken cancellationToken)
    {
        if (await sources.GetAsync(id, cancellationToken) is null) return NotFoundSource(id);
        var request = new PreviewRequest(
            body.PayloadId,
            body.Payload is { } inline ? ReadInline(inline) : null,
            new EntityMapping(string.IsNullOrWhiteSpace(body.EntityPath) ? EntityMapping.WholePayload : body.EntityPath, body.IdPath ?? "", body.TitlePath),
            SourcePatchReader.ReadFilter(body.Filter, "filter"));
        var result = (await sources.PreviewAsync(id, request, cancellationToken))!;
        return TypedResults.Ok(new PreviewResponse(result.Verdict.Passed, result.Verdict.Reason,
            result.Entities.Select(e => new PreviewEntity(e.ExternalId, e.Title, e.Error, ApiJson.Element(e.Data.ToString(Newtonsoft.Json.Formatting.None)))).ToList()));
    }

    /// <summary>
    /// Read as the receiver reads a body (<see cref="JsonBody"/>), so the preview shows dates, decimals and big
    /// numbers exactly as the pipeline will see them; a default JToken.Parse would turn dates into DateTimes.
    /// </summary>
    private static JToken ReadInline(JsonElement inline)
    {
        var parsed = JsonBody.Parse(Encoding.UTF8.GetBytes(inline.GetRawText()));
        return parsed.IsSuccess ? parsed.Value : throw new ValidationException("payload", parsed.Error);
    }

    private static async Task<Results<Accepted<ReprocessResponse>, ProblemHttpResult>> Reprocess(int id, ReprocessBody? body, SourceService sources, CancellationToken cancellationToken)
    {
        var queued = await sources.ReprocessAsync(id, body?.Since?.ToUniversalTime(), cancellationToken);
        return queued is { } count ? TypedResults.Accepted((string?)null, new ReprocessResponse(count)) : NotFoundSource(id);
    }

    private static async Task<Results<Ok<PagedList<PayloadResponse>>, ProblemHttpResult>> ListPayloads(
        int id, [AsParameters] PageRequest page,
        [Description("pending, processed, filtered, failed, stored, duplicate or rejected")] string? outcome,
        DateTime? from, DateTime? to, PayloadQueries payloads, SourceService sources, CancellationToken cancellationToken)
    {
        if (page.Validate() is { Count: > 0 } errors) throw new ValidationException(errors);
        // Read by hand: minimal APIs bind enums by member name only ("Filtered"), not as the API writes them.
        var wanted = ApiEnum.Query<PayloadOutcome>(outcome, "outcome");
        if (await sources.GetAsync(id, cancellationToken) is null) return NotFoundSource(id);
        var (items, total) = await payloads.ListAsync(id, wanted, from?.ToUniversalTime(), to?.ToUniversalTime(), page, cancellationToken);
        return TypedResults.Ok(new PagedList<PayloadResponse>(items.Select(ToResponse).ToList(), total, page.Number, page.Size));
    }

    /// <summary><c>{"payloadId": 12, "verification": {…}}</c>; without verification, the saved one is checked.</summary>
    private static async Task<Results<Ok<Settings.VerificationVerdict>, ProblemHttpResult>> CheckVerification(
        int id, JsonElement body, Settings.VerificationCheck check, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        long payloadId = 0;
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("payloadId", out var idElement) || !idElement.TryGetInt64(out payloadId))
            errors["payloadId"] = ["Give the id of a stored payload to check, e.g. {\"payloadId\": 12}."];
        VerificationSettings? draft = null;
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("verification", out var verification) && verification.ValueKind != JsonValueKind.Null)
        {
            if (SourcePatchReader.ReadVerification(verification, errors) is { } patch)
                draft = new VerificationSettings
                {
                    Kind = patch.Kind,
                    Secret = patch.Secret ?? "",
                    HeaderName = patch.HeaderName,
                    VerifyToken = patch.VerifyToken,
                    Custom = patch.Custom,
                    Tolerance = patch.ToleranceSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : VerificationSettings.DefaultTolerance,
                };
        }
        if (errors.Count > 0)
            throw new ValidationException(errors);
        return await check.CheckAsync(id, payloadId, draft, cancellationToken) is { } verdict
            ? TypedResults.Ok(verdict)
            : TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"Source {id} has no payload #{payloadId}.");
    }

    private static async Task<Results<Ok<PayloadDetailResponse>, ProblemHttpResult>> GetPayload(int id, long payloadId, PayloadQueries payloads, CancellationToken cancellationToken)
    {
        var detail = await payloads.GetAsync(id, payloadId, cancellationToken);
        if (detail is null)
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"Source {id} has no payload #{payloadId}.");
        return TypedResults.Ok(new PayloadDetailResponse(ToResponse(detail.Payload), detail.MaskedHeaders, detail.Payload.RemoteAddress, detail.BodyText));
    }

    internal static PayloadResponse ToResponse(ReceivedPayload p) =>
        new(p.Id, p.SourceId, p.ReceivedAt, p.ContentType, p.Size, p.Outcome, p.Reason, p.Created, p.Updated, p.Unchanged, p.DuplicateOfId, p.ProcessedAt);

    private static ProblemHttpResult NotFoundSource(int id) =>
        TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no source {id}.");
}
