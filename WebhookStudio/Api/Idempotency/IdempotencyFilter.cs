using System.Reflection;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using WebhookStudio.Features.Access;

namespace WebhookStudio.Api.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> on create endpoints: the same key (per API key or user) within 24 hours answers the first
/// result again, the same key with a different request answers 422, and a concurrent duplicate waits for the first
/// instead of creating a second copy. Add it to an endpoint with <see cref="IdempotencyExtensions.WithIdempotency"/>.
/// </summary>
public static class IdempotencyFilter
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 255;

    internal static EndpointFilterDelegate Create(EndpointFilterFactoryContext factory, EndpointFilterDelegate next)
    {
        var hashed = RequestValueIndexes(factory);
        return async invocation =>
        {
            var http = invocation.HttpContext;
            var key = http.Request.Headers[HeaderName].ToString().Trim();
            if (key.Length == 0)
                return await next(invocation);
            if (key.Length > MaxKeyLength)
                throw new ValidationException(HeaderName, $"An {HeaderName} has at most {MaxKeyLength} characters; a UUID is a good key.");

            var store = http.RequestServices.GetRequiredService<IdempotencyStore>();
            var json = http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
            var hash = RequestHash(http, invocation.Arguments, hashed, json);
            var claim = await store.ClaimAsync(PrincipalOf(http.User), key, hash, http.RequestAborted);
            return claim switch
            {
                IdempotencyClaim.Run run => await RunAsync(invocation, next, store, run.RecordId),
                IdempotencyClaim.Replay replay => new ReplayResult(replay.Record),
                IdempotencyClaim.Mismatch => TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: "Idempotency key reused",
                    detail: $"This {HeaderName} was used in the last 24 hours for a different request. Send a new key with a new request."),
                _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                    title: "Request in progress",
                    detail: $"A request with this {HeaderName} is still running. Retry in a moment to get its result."),
            };
        };
    }

    private static async Task<object?> RunAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next, IdempotencyStore store, long recordId)
    {
        var http = invocation.HttpContext;
        object? result;
        try
        {
            result = await next(invocation);
        }
        catch
        {
            // Nothing was created (a validation error, a failure): a corrected retry may use the key.
            await store.ReleaseAsync(recordId);
            throw;
        }

        // The answer is written into a buffer first, to be remembered exactly as the client gets it.
        var answer = result as IResult ?? TypedResults.Ok(result);
        var bodyFeature = http.Features.Get<IHttpResponseBodyFeature>()!;
        using var buffer = new MemoryStream();
        http.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(buffer));
        try
        {
            await answer.ExecuteAsync(http);
        }
        catch
        {
            await store.ReleaseAsync(recordId);
            throw;
        }
        finally
        {
            http.Features.Set(bodyFeature);
        }

        var status = http.Response.StatusCode;
        var body = buffer.ToArray();
        if (status is >= 200 and < 300)
            await store.CompleteAsync(recordId, status, http.Response.ContentType, http.Response.Headers.Location.ToString() is { Length: > 0 } l ? l : null, body);
        else
            await store.ReleaseAsync(recordId);
        await http.Response.Body.WriteAsync(body, http.RequestAborted);
        return Results.Empty;
    }

    /// <summary>The values the request carries (route values, query, body), without services and plumbing.</summary>
    private static int[] RequestValueIndexes(EndpointFilterFactoryContext factory)
    {
        var isService = factory.ApplicationServices.GetService<Microsoft.Extensions.DependencyInjection.IServiceProviderIsService>();
        return factory.MethodInfo.GetParameters()
            .Where(p => p.GetCustomAttribute<FromServicesAttribute>() is null
                        && p.ParameterType != typeof(HttpContext) && p.ParameterType != typeof(CancellationToken)
                        && p.ParameterType != typeof(ClaimsPrincipal) && p.ParameterType != typeof(HttpRequest)
                        && isService?.IsService(p.ParameterType) != true)
            .Select(p => p.Position)
            .ToArray();
    }

    private static string RequestHash(HttpContext http, IList<object?> arguments, int[] hashed, JsonSerializerOptions json)
    {
        var values = hashed.Select(i => arguments[i]).ToArray();
        var endpoint = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value;
        var text = $"{http.Request.Method} {endpoint}\n{JsonSerializer.Serialize(values, json)}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static string PrincipalOf(ClaimsPrincipal user) =>
        user.FindFirst(ApiKeyAuthenticationHandler.KeyIdClaim)?.Value is { } keyId ? "key:" + keyId
        : user.FindFirst(ClaimTypes.NameIdentifier)?.Value is { } userId ? "user:" + userId
        : "name:" + user.Identity?.Name;

    /// <summary>The first request's answer, again.</summary>
    private sealed class ReplayResult(IdempotencyRecord record) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = record.StatusCode;
            if (record.ContentType is not null) response.ContentType = record.ContentType;
            if (record.Location is not null) response.Headers.Location = record.Location;
            response.Headers[ReplayedHeader] = "true";
            if (record.ResponseBody is { Length: > 0 } body)
                await response.Body.WriteAsync(body, httpContext.RequestAborted);
        }
    }
}
