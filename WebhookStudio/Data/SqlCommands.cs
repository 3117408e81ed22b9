using System.Data.Common;

namespace WebhookStudio.Data;

/// <summary>Hand-written SQL for the hot write paths, with quoted names and @parameters that read the same in SQLite and PostgreSQL.</summary>
public static class SqlCommands
{
    /// <summary>A command with its parameters added by name, in the order given, values to be set before each execution.</summary>
    public static DbCommand Create(DbConnection connection, string sql, params string[] parameterNames)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(parameterNames);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameterNames)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }
        return command;
    }
}
