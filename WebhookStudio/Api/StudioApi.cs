using System.Text.Json;
using System.Text.Json.Serialization;
using Hangfire;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Scalar.AspNetCore;
using WebhookStudio.Api.Idempotency;
using WebhookStudio.Data;
using WebhookStudio.Features.Account;

namespace WebhookStudio.Api;

/// <summary>The frame every feature's REST endpoints hang on: <c>/api/v1</c>, JSON conventions, ProblemDetails, OpenAPI.</summary>
public static class StudioApi
{
    public const string Prefix = "/api/v1";

    public static WebApplicationBuilder AddStudioApi(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            // camelCase properties are the default; enums go out as lowercase words ("tester", "item_created").
            options.SerializerOptions.Converters.Add(EnumConverter());
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ValidationExceptionHandler>();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddOpenApi(options => options
            .AddDocumentTransformer<OpenApiConventions>()
            .AddOperationTransformer<OpenApiConventions>()
            .AddSchemaTransformer<OpenApiConventions>()
            .AddDocumentTransformer<OpenApiSecurity>()
            .AddOperationTransformer<OpenApiSecurity>());
        builder.Services.AddSingleton<IdempotencyStore>();
        builder.Services.AddSingleton<IStartupSeeder, IdempotencyPurgeSchedule>();
        return builder;
    }

    public const string IdempotencyPurgeJobId = "idempotency-key-purge";

    private sealed class IdempotencyPurgeSchedule(IRecurringJobManager jobs) : IStartupSeeder
    {
        public Task SeedAsync(CancellationToken cancellationToken)
        {
            jobs.AddOrUpdate<IdempotencyStore>(IdempotencyPurgeJobId, s => s.PurgeAsync(), Cron.Hourly());
            return Task.CompletedTask;
        }
    }

    /// <summary>How the API writes enums; <see cref="ApiEnum"/> reads them back from query strings.</summary>
    public static JsonStringEnumConverter EnumConverter() => new(JsonNamingPolicy.SnakeCaseLower);

    /// <summary>A route group under <c>/api/v1</c> open to any API key or signed-in user; writes add a stricter policy.</summary>
    public static RouteGroupBuilder MapStudioApiGroup(this IEndpointRouteBuilder app, string path, string tag) =>
        app.MapGroup(Prefix + path)
            .WithTags(tag)
            .RequireAuthorization(StudioPolicies.View)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .DisableAntiforgery();

    /// <summary>Refuses API writes that carry only the sign-in cookie from another origin or without a token; after authentication.</summary>
    public static WebApplication UseStudioApiCookieGuard(this WebApplication app)
    {
        app.UseMiddleware<CookieWriteGuard>();
        return app;
    }

    public static WebApplication MapStudioApiDocs(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").RequireAuthorization(StudioPolicies.View);
        app.MapScalarApiReference("/api/reference", options => options
                .WithTitle("Webhook Studio API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json"))
            .RequireAuthorization(StudioPolicies.View);
        return app;
    }

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) => TypedResults.ValidationProblem(errors);

    /// <summary>A <see cref="ValidationException"/> thrown by a feature service becomes a 400 with the <c>errors</c> map.</summary>
    private sealed class ValidationExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not ValidationException validation)
                return false;
            httpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
            return await problemDetails.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                ProblemDetails = new HttpValidationProblemDetails(validation.Errors) { Status = 400 },
                Exception = exception,
            });
        }
    }

    /// <summary>
    /// Unreadable input (a malformed JSON body, <c>?page=abc</c>) makes minimal APIs throw in Development, where
    /// the exception handler would otherwise answer an API call with the HTML error page. Answer what Production
    /// answers: the 4xx, as a ProblemDetails.
    /// </summary>
    private sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            // Request.Path is already the error page's here; the feature keeps the path that failed.
            var path = httpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path;
            if (exception is not BadHttpRequestException badRequest || !new PathString(path).StartsWithSegments(Prefix))
                return false;
            httpContext.Response.StatusCode = badRequest.StatusCode;
            return await problemDetails.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                ProblemDetails = { Status = badRequest.StatusCode, Detail = badRequest.Message },
                Exception = exception,
            });
        }
    }
}
