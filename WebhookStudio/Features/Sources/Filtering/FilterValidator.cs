namespace WebhookStudio.Features.Sources.Filtering;

/// <summary>One problem in a filter.</summary>
/// <param name="Location">Where, in the terms of the JSON form: <c>all[1].any[0].path</c>; the root group is <c>all</c> or <c>any</c>.</param>
/// <param name="Message">What is wrong, for the user, e.g. <c>Invalid regular expression: …</c>.</param>
public sealed record FilterError(string Location, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Location}: {Message}";
}

/// <summary>
/// Checks a filter before it is saved, so a user learns about a broken path or regex in the editor
/// rather than from payloads silently filtered out. The evaluator copes with invalid filters anyway.
/// </summary>
public static class FilterValidator
{
    /// <summary>How deep groups may nest; deeper filters are unreadable and cost stack on evaluation.</summary>
    public const int MaxDepth = 8;

    /// <summary>Every problem found, in document order; empty when the filter is valid.</summary>
    public static IReadOnlyList<FilterError> Validate(ConditionGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var errors = new List<FilterError>();
        ValidateGroup(group, "", 1, errors);
        return errors;
    }

    private static void ValidateGroup(ConditionGroup group, string parent, int depth, List<FilterError> errors)
    {
        if (!Enum.IsDefined(group.Mode))
        {
            errors.Add(new(parent.Length == 0 ? "group" : parent, $"Unknown group mode {(int)group.Mode}"));
            return;
        }
        var location = FilterNodeJsonConverter.Join(parent, FilterNodeJsonConverter.Key(group.Mode));
        if (depth > MaxDepth)
        {
            errors.Add(new(location, $"Groups are nested more than {MaxDepth} levels deep"));
            return;
        }
        if (group.Children.Count == 0)
            errors.Add(new(location, "Group is empty"));

        for (var i = 0; i < group.Children.Count; i++)
        {
            var childLocation = $"{location}[{i}]";
            switch (group.Children[i])
            {
                case ConditionGroup child:
                    ValidateGroup(child, childLocation, depth + 1, errors);
                    break;
                case Condition condition:
                    ValidateCondition(condition, childLocation, errors);
                    break;
            }
        }
    }

    private static void ValidateCondition(Condition condition, string location, List<FilterError> errors)
    {
        void Add(string field, string message) => errors.Add(new($"{location}.{field}", message));

        var path = condition.NormalizedPath;
        if (path.Length == 0)
            Add("path", "Choose a field");
        else if (FilterPath.TryCompile(path, out var pathError) is null)
            Add("path", $"Invalid JSONPath '{condition.Path}': {pathError}");

        if (!condition.Op.IsDefinedOperator())
        {
            Add("op", $"Unknown operator {(int)condition.Op}");
            return;
        }

        // The operator as the builder shows it ("greater than"), which API callers read as easily as its key.
        var op = condition.Op.Label();
        if (condition.Op == FilterOperator.In)
        {
            if (condition.Values is not { Count: > 0 })
                Add("value", "“is one of” needs at least one value");
            return;
        }
        if (condition.Values is not null)
        {
            Add("value", $"“{op}” compares with one value, not a list");
            return;
        }
        if (!condition.Op.TakesSingleValue())
        {
            if (condition.Value is not null)
                Add("value", $"“{op}” compares with no value");
            return;
        }
        if (condition.Value is not { } value)
        {
            Add("value", $"“{op}” needs a value to compare with");
            return;
        }

        if (condition.Op is FilterOperator.GreaterThan or FilterOperator.LessThan
            && !FilterNumber.TryParse(value, out _) && !FilterScalars.TryParseDate(value, out _))
            Add("value", $"“{op}” needs a number or a date (such as 1000 or 2026-01-31), not “{value}”");
        else if (condition.Op == FilterOperator.Matches && FilterEvaluator.TryGetRegex(value, out var regexError) is null)
            Add("value", $"Invalid regular expression: {regexError}");
    }
}
