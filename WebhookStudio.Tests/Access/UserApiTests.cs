using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Access;

public sealed class UserApiTests(SharedStudio shared) : SharedStudioTests(shared)
{

    private async Task<HttpClient> ClientForAsync(string role)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await Factory.CreateApiKeyAsync(role));
        return client;
    }

    [Fact]
    public async Task An_admin_key_creates_lists_promotes_and_disables_users()
    {
        var admin = await ClientForAsync("Admin");
        var created = await admin.PostAsJsonAsync("/api/v1/users", new { email = "tess@example.com", password = "tester-pass-1", role = "tester" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var user = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = user.GetProperty("id").GetString();
        Assert.Equal("tester", user.GetProperty("role").GetString());

        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/v1/users");
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), u => u.GetProperty("email").GetString() == "tess@example.com");

        var promoted = await (await admin.PatchAsJsonAsync($"/api/v1/users/{id}", new { role = "editor" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("editor", promoted.GetProperty("role").GetString());
        var disabled = await (await admin.PatchAsJsonAsync($"/api/v1/users/{id}", new { disabled = true })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(disabled.GetProperty("disabled").GetBoolean());
    }

    [Fact]
    public async Task Bad_input_gets_a_problem_naming_the_field_and_an_unknown_user_404()
    {
        var admin = await ClientForAsync("Admin");
        var badRole = await admin.PostAsJsonAsync("/api/v1/users", new { email = "x@example.com", password = "long-enough-1", role = "owner" });
        Assert.Equal(HttpStatusCode.BadRequest, badRole.StatusCode);
        Assert.True((await badRole.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("role", out _));

        var badEmail = await admin.PostAsJsonAsync("/api/v1/users", new { email = "nobody", password = "long-enough-1", role = "editor" });
        Assert.True((await badEmail.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("email", out _));

        var unknown = await admin.PatchAsJsonAsync("/api/v1/users/no-such-id", new { role = "editor" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Only_admins_manage_users()
    {
        var editor = await ClientForAsync("Editor");
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.GetAsync("/api/v1/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await editor.PostAsJsonAsync("/api/v1/users", new { email = "e@example.com", password = "long-enough-1", role = "admin" })).StatusCode);
    }
}
