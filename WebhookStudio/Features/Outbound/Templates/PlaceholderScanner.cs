using Fluid;
using Fluid.Ast;

namespace WebhookStudio.Features.Outbound.Templates;

/// <summary>
/// The variable paths a template reads (<c>item.data.email</c>), and the names it defines itself (loop
/// variables, <c>assign</c>, <c>capture</c>), so the editor can say which placeholders cannot resolve.
/// </summary>
public static class PlaceholderScanner
{
    private static readonly FluidParser Parser = new();

    /// <summary>Every path read, with index segments written <c>[]</c>; null when the template does not parse.</summary>
    public static IReadOnlyList<string>? Paths(string template)
    {
        if (!Parser.TryParse(template, out var parsed, out _))
            return null;
        var visitor = new Collector();
        visitor.VisitTemplate(parsed);
        return visitor.Paths.Where(p => !visitor.Locals.Contains(p.Split('.', '[')[0])).Distinct().ToList();
    }

    private sealed class Collector : AstVisitor
    {
        public List<string> Paths { get; } = [];
        public HashSet<string> Locals { get; } = new(StringComparer.Ordinal) { "forloop", "tablerowloop", "empty", "blank", "nil", "null", "true", "false" };

        protected override Expression VisitMemberExpression(MemberExpression memberExpression)
        {
            var path = "";
            foreach (var segment in memberExpression.Segments)
            {
                if (segment is IdentifierSegment identifier)
                    path = path.Length == 0 ? identifier.Identifier : path + "." + identifier.Identifier;
                else
                {
                    path += "[]";
                    break;
                }
            }
            if (path.Length > 0)
                Paths.Add(path);
            return base.VisitMemberExpression(memberExpression);
        }

        protected override Statement VisitForStatement(ForStatement forStatement)
        {
            Locals.Add(forStatement.Identifier);
            return base.VisitForStatement(forStatement);
        }

        protected override Statement VisitAssignStatement(AssignStatement assignStatement)
        {
            Locals.Add(assignStatement.Identifier);
            return base.VisitAssignStatement(assignStatement);
        }

        protected override Statement VisitCaptureStatement(CaptureStatement captureStatement)
        {
            Locals.Add(captureStatement.Identifier);
            return base.VisitCaptureStatement(captureStatement);
        }
    }
}
