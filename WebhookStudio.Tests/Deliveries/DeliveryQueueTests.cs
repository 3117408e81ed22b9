using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using WebhookStudio.Features.Deliveries;

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
    public void Deliveries_committed_together_go_as_few_jobs_of_at_most_fifty()
    {
        var jobs = new RecordingJobs();
        var queue = new DeliveryQueue(jobs, TimeProvider.System);

        queue.Enqueue(Enumerable.Range(1, 120).Select(i => (long)i));
        queue.Enqueue([500L]);

        Assert.Equal(4, jobs.Created.Count);
        Assert.All(jobs.Created, j => Assert.Equal(nameof(DeliveryJob.RunAsync), j.Method.Name));
        var batches = jobs.Created.Select(j => Assert.IsType<long[]>(j.Args[0])).ToList();
        Assert.Equal([50, 50, 20, 1], batches.Select(b => b.Length));
        Assert.Equal(Enumerable.Range(1, 120).Select(i => (long)i).Append(500), batches.SelectMany(b => b));
    }
}
