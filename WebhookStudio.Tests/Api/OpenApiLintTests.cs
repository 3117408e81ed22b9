using System.Diagnostics;
using System.Text.Json.Nodes;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Api;

/// <summary>
/// The published OpenAPI document as real tools read it: Redocly (recommended rules) and Spectral (spectral:oas),
/// both installed by ./test.sh into tools/openapi-lint, find no error and no warning.
/// </summary>
// The document names the address callers use; a studio on its public address, not localhost, which the
// linters rightly flag in a published document. The trailing slash is the document's to drop.
public sealed class OpenApiLintTests(SharedStudio shared) : ApiTestBase(shared, () => new StudioFactory().With("App:PublicBaseUrl", "https://hooks.acme.test/"))
{

    private static readonly string LintFolder = Path.Combine(RepositoryRoot.Path, "tools", "openapi-lint");

    [Fact]
    public async Task Redocly_finds_no_error_or_warning_in_the_document()
    {
        var documentPath = await WriteDocumentAsync();
        var run = await RunAsync("redocly", "lint", documentPath, "--config", Path.Combine(LintFolder, "redocly.yaml"), "--format", "json");
        var totals = JsonNode.Parse(run.Output)?["totals"]
            ?? throw new InvalidOperationException($"Redocly printed no totals (exit {run.ExitCode}):\n{run.Output}\n{run.Error}");
        // The document stays in the temp folder when it fails, to be read along with the problems.
        Assert.True((int)totals["errors"]! == 0 && (int)totals["warnings"]! == 0,
            $"Redocly found {totals["errors"]} errors and {totals["warnings"]} warnings in {documentPath}:\n{Problems(run.Output)}");
        File.Delete(documentPath);
    }

    [Fact]
    public async Task Spectral_finds_no_error_or_warning_in_the_document()
    {
        var documentPath = await WriteDocumentAsync();
        // --fail-severity warn: the exit code is 0 only when there is neither an error nor a warning.
        var run = await RunAsync("spectral", "lint", documentPath, "--ruleset", Path.Combine(LintFolder, ".spectral.yaml"),
            "--fail-severity", "warn", "--format", "text");
        Assert.True(run.ExitCode == 0, $"Spectral found problems in {documentPath} (exit {run.ExitCode}):\n{run.Output}\n{run.Error}");
        File.Delete(documentPath);
    }

    private async Task<string> WriteDocumentAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), $"webhook-studio-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, await Api.Http.GetStringAsync("/openapi/v1.json"));
        return path;
    }

    /// <summary>Redocly's JSON problems, one line each: severity, rule, where and what.</summary>
    private static string Problems(string json) =>
        string.Join("\n", JsonNode.Parse(json)!["problems"]!.AsArray().Select(p =>
            $"{p!["severity"]} {p["ruleId"]} at {p["location"]?[0]?["pointer"]}: {p["message"]}"));

    private sealed record CommandRun(int ExitCode, string Output, string Error);

    private static async Task<CommandRun> RunAsync(string tool, params string[] arguments)
    {
        var executable = Path.Combine(LintFolder, "node_modules", ".bin", tool);
        Assert.True(File.Exists(executable),
            $"{executable} is missing: run ./test.sh (or npm ci --prefix tools/openapi-lint) to install the OpenAPI linters.");
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = LintFolder };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        // No usage reports from a test run.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new CommandRun(process.ExitCode, await output, await error);
    }
}
