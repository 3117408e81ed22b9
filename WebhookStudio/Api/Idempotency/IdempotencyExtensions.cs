using Microsoft.OpenApi;
using WebhookStudio.Api.Idempotency;

namespace WebhookStudio.Api;

public static class IdempotencyExtensions
{
    /// <summary>The one line a create endpoint needs to accept <c>Idempotency-Key</c>.</summary>
    public static RouteHandlerBuilder WithIdempotency(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilterFactory(IdempotencyFilter.Create)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = IdempotencyFilter.HeaderName,
                    In = ParameterLocation.Header,
                    Required = false,
                    Description = "Any unique string (a UUID). Repeating the request with the same key within 24 hours answers the first result "
                                  + "again (with `Idempotent-Replayed: true`) instead of creating a second copy; the same key with a different request answers 422.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = IdempotencyFilter.MaxKeyLength },
                });
                return Task.CompletedTask;
            });
}
