using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using WebhookStudio.Data;
using WebhookStudio.Features.Deliveries;
using WebhookStudio.Hosting;

namespace WebhookStudio.Tests.Deliveries;

/// <summary>How delivery ids become Hangfire jobs.</summary>
public sealed class DeliveryQueueTests
{
    private sealed class RecordingJobs : IBackgroundJobClient
    {
        public List<Job> Created { get; } = [];

        public string Create(Job job, IState state)
        {
            Created.Add(job);
            return Created.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => true;
    }

    [Fact]
    public void Deliveries_committed_together_go_as_few_jobs_and_a_single_one_as_its_own()
    {
        var jobs = new RecordingJobs();
        // Never connected to: the queue only asks whether the database is shared.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = "Host=unused" }).Build();
        var database = StudioDatabase.Create(new StorageOptions { Provider = StorageProvider.PostgreSql }, configuration, () => throw new InvalidOperationException("not SQLite"));
        var queue = new DeliveryQueue(jobs, database, Options.Create(new DeliveryOptions()), TimeProvider.System);

        queue.Enqueue(Enumerable.Range(1, 120).Select(i => (long)i));
        queue.Enqueue([500L]);

        Assert.Equal(4, jobs.Created.Count);
        var batches = jobs.Created.Take(3).Select(j => Assert.IsType<long[]>(j.Args[0])).ToList();
        Assert.All(jobs.Created.Take(3), j => Assert.Equal(nameof(DeliveryJob.RunAllAsync), j.Method.Name));
        Assert.Equal([50, 50, 20], batches.Select(b => b.Length));
        Assert.Equal(Enumerable.Range(1, 120).Select(i => (long)i), batches.SelectMany(b => b));
        Assert.Equal(nameof(DeliveryJob.RunAsync), jobs.Created[3].Method.Name);
        Assert.Equal(500L, jobs.Created[3].Args[0]);
        // Every id is known as handed over, so the reconciler does not enqueue it again before its job runs.
        Assert.True(queue.IsHandedOver(77));
        Assert.True(queue.IsHandedOver(500));
    }
}
