using Microsoft.AspNetCore.Http.HttpResults;
using WebhookStudio.Api;
using WebhookStudio.Features.Sources.Receiving;

namespace WebhookStudio.Features.Sources.Setup;

/// <summary>The API side of a source's connect step: its refused requests, and sending it a sample.</summary>
public static class SourceSetupEndpoints
{
    public sealed record RejectionResponse(
        DateTime At, int Status, string Title, string? Reason, string? ContentType, string? RemoteAddress, string? UserAgent);

    /// <summary>The sample sent and the receiver's answer to it (202 with a payload id, or a refusal such as 401).</summary>
    public sealed record SampleResponse(string Sample, string ContentType, int ReceiverStatus, long? PayloadId, string? Title, string? Detail);

    public static void MapSourceSetupEndpoints(this IEndpointRouteBuilder app)
    {
        var sources = app.MapStudioApiGroup("/sources", "Sources");
        sources.MapGet("/{id:int}/rejections", Rejections)
            .WithSummary("The source's last refused receiver requests (415, 400, 413, 422, 429, 401…), newest first").ProducesProblem(StatusCodes.Status404NotFound)
            .WithDescription($"At most {ReceiverRejections.PerSource} per source, kept in memory: the list starts empty after a restart.");
        // View, not Edit: a Tester sends test requests; the sample is an ordinary payload, not a configuration change.
        sources.MapPost("/{id:int}/sample", SendSample)
            .WithSummary("Send the source a sample payload of its app through the receiver, as a sender would").ProducesProblem(StatusCodes.Status404NotFound)
            .WithDescription("The answer is 200 whatever the receiver said; receiverStatus is its status (202 when stored).");
    }

    private static async Task<Results<Ok<PagedList<RejectionResponse>>, ProblemHttpResult>> Rejections(
        int id, SourceService sources, SourceSetupService setup, CancellationToken cancellationToken)
    {
        if (await sources.GetAsync(id, cancellationToken) is null) return NotFoundSource(id);
        var items = setup.Rejections(id)
            .Select(r => new RejectionResponse(r.At, r.Status, r.Title, r.Reason, r.ContentType, r.RemoteAddress, r.UserAgent))
            .ToList();
        return TypedResults.Ok(new PagedList<RejectionResponse>(items, items.Count, 1, ReceiverRejections.PerSource));
    }

    private static async Task<Results<Ok<SampleResponse>, ProblemHttpResult>> SendSample(int id, SourceSetupService setup, CancellationToken cancellationToken)
    {
        if (await setup.SendSampleAsync(id, cancellationToken) is not { } sent) return NotFoundSource(id);
        var o = sent.Outcome;
        return TypedResults.Ok(new SampleResponse(sent.Sample.FileName, sent.Sample.ContentType, o.Status, o.PayloadId, o.Title, o.Detail));
    }

    private static ProblemHttpResult NotFoundSource(int id) =>
        TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no source {id}.");
}
