using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using WebhookStudio.Features.Access;

namespace WebhookStudio.Api;

/// <summary>
/// Declares how the API is signed in to (an API key in either header, or the studio's sign-in cookie) and marks every
/// operation that requires it, so generated clients and the API reference send credentials.
/// </summary>
internal sealed class OpenApiSecurity : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public const string ApiKeyHeader = "ApiKey";
    public const string BearerKey = "Bearer";
    public const string Cookie = "Cookie";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyHeader] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthenticationHandler.HeaderName,
            Description = "An API key (whs_…) created under Users & API keys.",
        };
        document.Components.SecuritySchemes[BearerKey] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The same API key as `Authorization: Bearer whs_…`.",
        };
        document.Components.SecuritySchemes[Cookie] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = "WebhookStudio.Auth",
            Description = "The sign-in cookie of the studio's pages (for calls from the browser).",
        };
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (!metadata.OfType<IAuthorizeData>().Any() || metadata.OfType<IAllowAnonymous>().Any())
        {
            // Said outright: an operation without a requirement would read as "not documented", not "anonymous".
            operation.Security = [];
            return Task.CompletedTask;
        }
        operation.Security ??= [];
        // Alternatives: any one of them is enough.
        foreach (var scheme in new[] { ApiKeyHeader, BearerKey, Cookie })
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] });
        return Task.CompletedTask;
    }
}
