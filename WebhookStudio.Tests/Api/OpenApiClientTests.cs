using System.Diagnostics;
using System.Xml.Linq;
using WebhookStudio.Tests.Infrastructure;

namespace WebhookStudio.Tests.Api;

/// <summary>
/// A client generated from the published document works: Kiota (the repository's dotnet tool) generates a C#
/// client into a temp folder, a small console project compiles it against Microsoft.Kiota.Bundle, and it lists the
/// sources of a live studio with an API key, sending the README's <c>page</c>/<c>pageSize</c>.
/// </summary>
public sealed class OpenApiClientTests(SharedStudio shared) : ApiTestBase(shared, () => new LiveStudio())
{
    public override async Task InitializeAsync()
    {
        ((LiveStudio)Factory).Start();
        await base.InitializeAsync();
    }

    [Fact]
    public async Task A_generated_kiota_client_compiles_and_lists_the_sources()
    {
        await Api.CreateSourceAsync("Shop orders", "custom");
        await Api.CreateSourceAsync("Stripe invoices", "stripe");
        var key = await Factory.CreateApiKeyAsync("Tester");

        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"webhook-studio-kiota-{Guid.NewGuid():N}")).FullName;
        try
        {
            var document = Path.Combine(folder, "openapi.json");
            await File.WriteAllTextAsync(document, await Api.Http.GetStringAsync("/openapi/v1.json"));

            var generated = await RunAsync(RepositoryRoot.Path, "dotnet", "tool", "run", "kiota", "generate", "--language", "CSharp",
                "--openapi", document, "--output", Path.Combine(folder, "Client"), "--class-name", "StudioClient",
                "--namespace-name", "Studio.Client", "--exclude-backward-compatible", "--log-level", "Error");
            Assert.True(generated.ExitCode == 0,
                $"Kiota failed (exit {generated.ExitCode}); run `dotnet tool restore` if the tool is missing:\n{generated.Output}");

            await File.WriteAllTextAsync(Path.Combine(folder, "ClientCheck.csproj"), ClientProject());
            await File.WriteAllTextAsync(Path.Combine(folder, "Program.cs"), ClientProgram);
            // Restored from the local NuGet cache only, where the test project's own restore put the bundle.
            var built = await RunAsync(folder, "dotnet", "build", "ClientCheck.csproj", "--source", GlobalPackagesFolder(),
                "-nologo", "-v", "q", "-m:1", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-o", Path.Combine(folder, "out"));
            Assert.True(built.ExitCode == 0, $"The generated client does not compile (exit {built.ExitCode}):\n{built.Output}");

            var listed = await RunAsync(folder, "dotnet", Path.Combine(folder, "out", "ClientCheck.dll"), Api.Http.BaseAddress!.ToString(), key);
            Assert.True(listed.ExitCode == 0, $"The generated client failed (exit {listed.ExitCode}):\n{listed.Output}");
            Assert.Equal(["Shop orders", "Stripe invoices"], listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Lists every source through the generated client: the base URL and an API key are its arguments.</summary>
    private const string ClientProgram = """
        using Microsoft.Kiota.Abstractions.Authentication;
        using Microsoft.Kiota.Http.HttpClientLibrary;
        using Studio.Client;

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Add("X-Api-Key", args[1]);
        var adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = args[0].TrimEnd('/') };
        var client = new StudioClient(adapter);
        var page = await client.Api.V1.Sources.GetAsync(request =>
        {
            request.QueryParameters.Page = 1;
            request.QueryParameters.PageSize = 50;
        });
        foreach (var source in page?.Items ?? [])
            Console.WriteLine(source.Name);
        """;

    private static string ClientProject() => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <ImplicitUsings>enable</ImplicitUsings>
            <Nullable>enable</Nullable>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Microsoft.Kiota.Bundle" Version="{KiotaBundleVersion()}" />
          </ItemGroup>
        </Project>
        """;

    /// <summary>The version Directory.Packages.props pins, the one the test project restores.</summary>
    private static string KiotaBundleVersion() =>
        XDocument.Load(Path.Combine(RepositoryRoot.Path, "Directory.Packages.props")).Descendants("PackageVersion")
            .Single(p => (string?)p.Attribute("Include") == "Microsoft.Kiota.Bundle").Attribute("Version")!.Value;

    private static string GlobalPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private sealed record CommandRun(int ExitCode, string Output);

    private static async Task<CommandRun> RunAsync(string workingDirectory, string executable, params string[] arguments)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["KIOTA_CLI_TELEMETRY_OPTOUT"] = "true";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return new CommandRun(process.ExitCode, (await output) + (await error));
    }
}
