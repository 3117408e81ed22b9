using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WebhookStudio.Components;

namespace WebhookStudio.Tests.Components;

/// <summary>The code editor over BlazorMonaco's interop, with Monaco's side answered by bUnit.</summary>
public sealed class CodeEditorTests : BunitContext
{
    public CodeEditorTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        Services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
    }

    [Fact]
    public void A_value_that_changes_while_Monaco_is_being_created_is_shown_once_it_is_ready()
    {
        // Monaco takes its time to start, as on a busy machine: the answer (a response body) arrives meanwhile.
        var creating = JSInterop.SetupVoid("blazorMonaco.editor.create", _ => true);
        var editor = Render<CodeEditor>(p => p.Add(e => e.Value, "").Add(e => e.ReadOnly, true));
        editor.Render(p => p.Add(e => e.Value, """{"payloadId":42}"""));
        Assert.Empty(JSInterop.Invocations["blazorMonaco.editor.setValue"]);

        creating.SetVoidResult();

        editor.WaitForAssertion(() =>
        {
            var shown = Assert.Single(JSInterop.Invocations["blazorMonaco.editor.setValue"]);
            Assert.Equal("""{"payloadId":42}""", shown.Arguments[^1]);
        });
    }

    [Fact]
    public void A_value_unchanged_since_creation_is_not_pushed_again()
    {
        var editor = Render<CodeEditor>(p => p.Add(e => e.Value, """{"a":1}""").Add(e => e.ReadOnly, true));

        editor.WaitForAssertion(() => Assert.Single(JSInterop.Invocations["blazorMonaco.editor.setEventListener"]));
        editor.Render(p => p.Add(e => e.Value, """{"a":1}"""));
        Assert.Empty(JSInterop.Invocations["blazorMonaco.editor.setValue"]);
    }
}
