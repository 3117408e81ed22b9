namespace WebhookStudio.Api;

/// <summary>
/// Bad input found by a feature service, per field. The API turns it into a 400 ValidationProblem with an
/// <c>errors</c> map; pages show each message next to its field.
/// </summary>
public sealed class ValidationException(IDictionary<string, string[]> errors)
    : Exception(string.Join(" ", errors.SelectMany(e => e.Value)))
{
    public IDictionary<string, string[]> Errors { get; } = errors;

    public ValidationException(string field, string message) : this(new Dictionary<string, string[]> { [field] = [message] }) { }

    public string? For(string field) => Errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;
}
