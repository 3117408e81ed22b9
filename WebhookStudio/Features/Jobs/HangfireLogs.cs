using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace WebhookStudio.Features.Jobs;

/// <summary>
/// Hangfire logs through one process-wide provider, set by the last app that configured it. With several apps
/// in one process (the tests start many, and stop some while others run) the others' job servers would log into
/// the stopped app's disposed logger factory, which throws inside Hangfire.PostgreSql's fetch: the worker faults
/// on every job it fetches, and each such job stays invisible for the queue's half-hour timeout. A stopped app's
/// logger is silent instead. An app alone in its process (every real install) logs as before.
/// </summary>
internal sealed class HangfireLogs(ILoggerFactory loggerFactory) : ILogProvider
{
    private readonly AspNetCoreLogProvider inner = new(loggerFactory);

    public ILog GetLogger(string name)
    {
        try
        {
            return new Guarded(inner.GetLogger(name));
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class Guarded(ILog log) : ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                return log.Log(logLevel, messageFunc, exception);
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }

    private sealed class Silent : ILog
    {
        public static readonly Silent Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
