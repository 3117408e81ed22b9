using BlazorMonaco.Editor;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace WebhookStudio.Components;

/// <summary>
/// BlazorMonaco's editor, made safe on live pages. An editor whose element left the page before Monaco was created
/// in it (the page re-rendered in between, as when requests stream in) stays uncreated instead of failing the circuit;
/// an editor that leaves the page disposes its Monaco instance too, which BlazorMonaco keeps alive otherwise.
/// </summary>
public sealed class StudioMonacoEditor : StandaloneCodeEditor
{
    [Inject] private ILogger<StudioMonacoEditor> Logger { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        try
        {
            await base.OnAfterRenderAsync(firstRender);
        }
        catch (JSException failed) when (firstRender)
        {
            if (await JS.InvokeAsync<bool>("studio.hasElement", Id))
                throw;
            Logger.LogDebug(failed, "Code editor {EditorId} left the page before Monaco was created in it", Id);
        }
    }

    public override void Dispose()
    {
        _ = DisposeInBrowserAsync();
        base.Dispose();
    }

    private async Task DisposeInBrowserAsync()
    {
        try
        {
            await JS.InvokeVoidAsync("studio.disposeEditor", Id);
        }
        catch (JSDisconnectedException)
        {
            // The browser left: its editors went with the page.
        }
        catch (Exception failed) when (failed is JSException or TaskCanceledException)
        {
            Logger.LogDebug(failed, "Code editor {EditorId} could not be disposed in the browser", Id);
        }
    }
}
