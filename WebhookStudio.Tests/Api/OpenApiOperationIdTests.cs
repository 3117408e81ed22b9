using WebhookStudio.Api;

namespace WebhookStudio.Tests.Api;

/// <summary>
/// Operation ids name the methods of generated clients, so they follow the route by fixed rules and do not change
/// while the route stays: list/get/create/patch/replace/delete a resource, or the action a POST names.
/// </summary>
public sealed class OpenApiOperationIdTests
{
    [Theory]
    [InlineData("GET", "api/v1/sources", true, false, "listSources")]
    [InlineData("GET", "api/v1/sources/{id}", false, false, "getSource")]
    [InlineData("GET", "api/v1/sources/{id:int}/payloads/{payloadId:long}", false, false, "getSourcePayload")]
    [InlineData("GET", "api/v1/sources/{id}/payloads", true, false, "listSourcePayloads")]
    [InlineData("GET", "api/v1/deliveries/counts", false, false, "getDeliveryCounts")]
    [InlineData("GET", "api/v1/me", false, false, "getMe")]
    [InlineData("POST", "api/v1/sources", false, true, "createSource")]
    [InlineData("POST", "api/v1/api-keys", false, true, "createApiKey")]
    [InlineData("POST", "api/v1/tester/collections/{id}/requests", false, true, "createTesterCollectionRequest")]
    [InlineData("POST", "api/v1/subscriptions/{id}/duplicate", false, true, "duplicateSubscription")]
    [InlineData("POST", "api/v1/sources/{id}/rotate-token", false, false, "rotateSourceToken")]
    [InlineData("POST", "api/v1/deliveries/{id}/retry", false, false, "retryDelivery")]
    [InlineData("PATCH", "api/v1/subscriptions/{id}", false, false, "patchSubscription")]
    [InlineData("PUT", "api/v1/connectors/{id}", false, false, "replaceConnector")]
    [InlineData("DELETE", "api/v1/api-keys/{id}", false, false, "deleteApiKey")]
    [InlineData("DELETE", "api/v1/bins/{id}/requests", false, false, "deleteBinRequests")]
    [InlineData("POST", "hooks/{token}", false, false, "receiveHook")]
    [InlineData("POST", "api/v1/notifications/{id:long}/read", false, false, "markNotificationRead")]
    public void An_operation_id_follows_its_route(string method, string route, bool answersList, bool answersCreated, string expected) =>
        Assert.Equal(expected, OpenApiOperationIds.For(method, route, answersList, answersCreated));
}
