namespace WebhookStudio.Bench;

/// <summary>
/// Where the CPU went, per payload. On 2 shared cores throughput is mostly a CPU budget, so this tells
/// whether the studio is slower because it waits (locks, disk) or because it works harder per payload.
/// </summary>
internal sealed record CpuFigures(
    double StudioMicrosPerPayload,
    double? PipelineMicrosPerItem,
    double? ReceiverMicrosPerPayload,
    double GeneratorMicrosPerRequest,
    double? BaselineRunMicrosPerRequest)
{
    /// <param name="studioDuringLoad">The app's CPU while it was loaded: receiver plus whatever the pipeline did meanwhile.</param>
    /// <param name="studioDuringDrain">The app's CPU from the end of the load until the backlog was drained: the pipeline alone.</param>
    public static CpuFigures From(LoadResult studio, TimeSpan studioDuringLoad, TimeSpan studioDuringDrain, PipelineResult pipeline, LoadResult? baseline)
    {
        double? perItem = null, receiver = null;
        var drainedItems = pipeline.BacklogAtLoadEnd * pipeline.EntitiesPerPayload;
        if (drainedItems > 0)
        {
            perItem = studioDuringDrain.TotalMicroseconds / drainedItems;
            // Items the pipeline made while the load ran cost the same CPU; what is left is the receiver's.
            var itemsDuringLoad = Math.Max(0, pipeline.ItemsChanged - drainedItems);
            receiver = (studioDuringLoad.TotalMicroseconds - perItem.Value * itemsDuringLoad) / studio.TotalRequests;
        }

        // The baseline server runs inside the bench, so its run is reported whole: generator plus server.
        return new CpuFigures(
            studioDuringLoad.TotalMicroseconds / studio.TotalRequests,
            perItem,
            receiver,
            studio.BenchCpu.TotalMicroseconds / studio.TotalRequests,
            baseline is null ? null : baseline.BenchCpu.TotalMicroseconds / baseline.TotalRequests);
    }
}
