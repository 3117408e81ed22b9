using System.Globalization;
using System.Runtime.InteropServices;
using WebhookStudio.Bench;

// Figures print the same way on every machine.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var (options, error) = BenchOptions.Parse(args);
if (options is null)
{
    (error is null ? Console.Out : Console.Error).WriteLine(error is null ? BenchOptions.Usage : $"bench: {error}\n{BenchOptions.Usage}");
    return error is null ? 0 : 2;
}

// Ctrl+C or SIGTERM cancels the run, so the child app is killed and the temp folders deleted on the way out;
// a second signal ends the bench at once.
using var stop = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    if (stop.IsCancellationRequested) return;
    context.Cancel = true;
    Console.Error.WriteLine("bench: stopping…");
    stop.Cancel();
}
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

try
{
    await BenchRun.RunAsync(options, stop.Token);
    return 0;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("bench: interrupted; the app was stopped and its data deleted.");
    return 130;
}
catch (BenchException e)
{
    Console.Error.WriteLine($"bench: {e.Message}");
    return 1;
}
