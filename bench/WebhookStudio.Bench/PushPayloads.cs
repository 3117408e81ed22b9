using System.Text;
using System.Text.Json;

namespace WebhookStudio.Bench;

/// <summary>
/// Bodies built from the GitHub push sample, each with its own commit ids and messages so the pipeline does
/// real work: three requests in four bring new commit ids (items created), the fourth repeats the ids of the
/// request two before it with a new message (those items are updated, with a field change recorded).
/// </summary>
internal sealed class PushPayloads
{
    public const string FileName = "github-push.json";

    private readonly string template;
    private readonly IReadOnlyList<string> messages;

    private PushPayloads(string template, IReadOnlyList<string> messages)
    {
        this.template = template;
        this.messages = messages;
    }

    /// <summary>Entities (commits) in every body: each accepted payload should become this many created or updated items.</summary>
    public int EntitiesPerPayload => messages.Count;

    public static PushPayloads Load(string payloadsFolder)
    {
        var path = Path.Combine(payloadsFolder, FileName);
        if (!File.Exists(path))
            throw new BenchException($"Missing sample {path}.");
        var text = File.ReadAllText(path);

        // The sample's ids and messages become numbered slots; head_commit repeats the last commit, so it follows along.
        using var document = JsonDocument.Parse(text);
        var commits = document.RootElement.GetProperty("commits").EnumerateArray().ToList();
        var messages = new List<string>();
        for (var i = 0; i < commits.Count; i++)
        {
            var id = commits[i].GetProperty("id").GetString()!;
            var message = commits[i].GetProperty("message").GetString()!;
            text = text.Replace($"\"{id}\"", $"\"{IdSlot(i)}\"", StringComparison.Ordinal)
                       .Replace($"\"{message}\"", $"\"{MessageSlot(i)}\"", StringComparison.Ordinal);
            if (!text.Contains(IdSlot(i), StringComparison.Ordinal) || !text.Contains(MessageSlot(i), StringComparison.Ordinal))
                throw new BenchException($"{path}: commit {i}'s id or message is not written plainly; cannot vary it.");
            messages.Add(message);
        }
        return messages.Count > 0 ? new PushPayloads(text, messages) : throw new BenchException($"{path} has no commits.");
    }

    /// <summary>The body of request number <paramref name="sequence"/> (0, 1, 2, … across the whole run).</summary>
    public byte[] Body(long sequence)
    {
        // Request 4k+3 repeats the ids of request 4k+1, which brought new ids: an update of items that exist.
        var key = sequence % 4 == 3 ? sequence - 2 : sequence;
        var text = new StringBuilder(template);
        for (var i = 0; i < messages.Count; i++)
        {
            text.Replace(IdSlot(i), $"{key:x32}{i:x8}");
            text.Replace(MessageSlot(i), $"{messages[i]} (push {sequence})");
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static string IdSlot(int i) => $"{{{{id{i}}}}}";

    private static string MessageSlot(int i) => $"{{{{message{i}}}}}";
}
