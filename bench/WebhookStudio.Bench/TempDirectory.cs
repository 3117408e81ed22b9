namespace WebhookStudio.Bench;

/// <summary>A fresh folder under the system temp folder, deleted with everything in it on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("whs-bench-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a file still open by a dying child: the OS temp cleaner takes it later */ }
        catch (UnauthorizedAccessException) { }
    }
}
