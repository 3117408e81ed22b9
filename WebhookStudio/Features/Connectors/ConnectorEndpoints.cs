using Microsoft.AspNetCore.Http.HttpResults;
using WebhookStudio.Api;
using WebhookStudio.Features.Account;

namespace WebhookStudio.Features.Connectors;

public static class ConnectorEndpoints
{
    /// <summary><c>secret</c> is the password, token, API key value or client secret; on update, leave it out to keep the saved one.</summary>
    public sealed record ConnectorBody(string? Name, string? Kind, string? Username, string? ParameterName, string? TokenUrl, string? ClientId, string? Scope, string? Secret);

    public static WebApplicationBuilder AddStudioConnectors(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<OAuthTokenCache>();
        builder.Services.AddSingleton<ConnectorService>();
        builder.Services.AddTransient<ConnectorAuthenticator>();
        return builder;
    }

    public static WebApplication MapStudioConnectors(this WebApplication app)
    {
        var connectors = app.MapStudioApiGroup("/connectors", "Connectors");
        connectors.MapGet("", List).WithSummary("List auth connectors (secrets are never returned)");
        connectors.MapGet("/{id:int}", Get).WithSummary("Get one auth connector (the secret only as \"set on <date>\")").ProducesProblem(StatusCodes.Status404NotFound);
        connectors.MapPost("", Create).WithSummary("Create an auth connector: basic, bearer, api_key_header, api_key_query or oauth2_client_credentials").ProducesValidationProblem()
            .RequireAuthorization(StudioPolicies.Edit).WithIdempotency();
        connectors.MapPut("/{id:int}", Update).WithSummary("Replace an auth connector; leave secret out to keep the saved one").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(StudioPolicies.Edit);
        connectors.MapDelete("/{id:int}", Delete).WithSummary("Delete an auth connector; refused (409) while subscriptions use it").ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization(StudioPolicies.Edit);
        return app;
    }

    private static ConnectorInput Read(ConnectorBody body)
    {
        ConnectorKind? kind = ApiEnum.TryParse<ConnectorKind>(body.Kind, out var parsed) ? parsed : null;
        if (kind is null)
            throw new ValidationException("kind", "kind is one of: basic, bearer, api_key_header, api_key_query, oauth2_client_credentials.");
        return new ConnectorInput(body.Name, kind, body.Username, body.ParameterName, body.TokenUrl, body.ClientId, body.Scope, body.Secret);
    }

    private static async Task<Ok<PagedList<ConnectorView>>> List(ConnectorService connectors, CancellationToken cancellationToken)
    {
        var all = await connectors.ListAsync(cancellationToken);
        return TypedResults.Ok(new PagedList<ConnectorView>(all, all.Count, 1, Math.Max(all.Count, 1)));
    }

    private static async Task<Results<Ok<ConnectorView>, ProblemHttpResult>> Get(int id, ConnectorService connectors, CancellationToken cancellationToken) =>
        await connectors.GetAsync(id, cancellationToken) is { } view ? TypedResults.Ok(view) : NotFound(id);

    private static async Task<Created<ConnectorView>> Create(ConnectorBody body, ConnectorService connectors, CancellationToken cancellationToken)
    {
        var view = await connectors.CreateAsync(Read(body), cancellationToken);
        return TypedResults.Created($"{StudioApi.Prefix}/connectors/{view.Id}", view);
    }

    private static async Task<Results<Ok<ConnectorView>, ProblemHttpResult>> Update(int id, ConnectorBody body, ConnectorService connectors, CancellationToken cancellationToken) =>
        await connectors.UpdateAsync(id, Read(body), cancellationToken) is { } view ? TypedResults.Ok(view) : NotFound(id);

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(int id, ConnectorService connectors, CancellationToken cancellationToken)
    {
        var result = await connectors.DeleteAsync(id, cancellationToken);
        return result.Outcome switch
        {
            ConnectorDeleteOutcome.Deleted => TypedResults.NoContent(),
            ConnectorDeleteOutcome.NotFound => NotFound(id),
            _ => TypedResults.Problem(statusCode: 409, title: "Connector in use",
                detail: $"Connector {id} is used by: {string.Join(", ", result.UsedBy)}. Choose another connector in those subscriptions first.",
                extensions: new Dictionary<string, object?> { ["usedBy"] = result.UsedBy }),
        };
    }

    private static ProblemHttpResult NotFound(int id) => TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no connector {id}.");
}
