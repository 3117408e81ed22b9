namespace WebhookStudio.Tests.Infrastructure;

/// <summary>Waits for background work (the payload processor) without fixed sleeps.</summary>
public static class Poll
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Condition not met in time; last value: {value}");
            await Task.Delay(50);
        }
    }
}
