using System.Diagnostics;
using Fabrica.Protocols.OpcUa;
using Fabrica.Protocols.OpcUa.Subscriptions;

namespace Fabrica.Protocols.Tests.OpcUa.Interop;

/// <summary>ModifySubscription, SetPublishingMode and DeleteMonitoredItems against node-opcua.</summary>
[Collection(NodeOpcUaCollection.Name)]
public sealed class NodeOpcUaSubscriptionServiceTests(NodeOpcUaServer server)
{
    private static readonly NodeId Counter = NodeId.Parse("ns=1;s=Counter");
    private static readonly NodeId FastCounter = NodeId.Parse("ns=1;s=FastCounter");
    private static readonly SubscriptionOptions EveryChange = new() { PublishingInterval = TimeSpan.FromMilliseconds(100) };

    [Fact]
    public async Task ModifySubscription_changes_the_publishing_interval_so_values_arrive_in_larger_batches()
    {
        await using var client = await OpcUaClient.ConnectAsync(server.EndpointUrl);
        var arrivals = new List<(long At, uint Value)>();
        var clock = Stopwatch.StartNew();
        await using var subscription = await client.SubscribeAsync([Counter], TimeSpan.Zero, value =>
        {
            lock (arrivals)
            {
                arrivals.Add((clock.ElapsedMilliseconds, (uint)value.Value.Value.Value!));
            }
            return ValueTask.CompletedTask;
        }, EveryChange);

        await subscription.ModifyAsync(subscription.Options with { PublishingInterval = TimeSpan.FromSeconds(1) });
        var modifiedAt = clock.ElapsedMilliseconds;
        await WaitUntil(() => Count(arrivals, a => a.At > modifiedAt + 1500) >= 20, TimeSpan.FromSeconds(30));

        Assert.Equal(TimeSpan.FromSeconds(1), subscription.RevisedPublishingInterval);
        List<(long At, uint Value)> after;
        lock (arrivals)
        {
            after = arrivals.Where(a => a.At > modifiedAt + 1500).ToList();
            AssertConsecutive(arrivals.Select(a => a.Value).ToList());
        }
        // Ten increments per publish: most values share their arrival with others (same notification message).
        var batches = after.GroupBy(a => a.At / 100).Count();
        Assert.True(batches * 3 <= after.Count, $"{after.Count} values in {batches} batches");
    }

    [Fact]
    public async Task SetPublishingMode_pauses_notifications_and_the_values_queued_meanwhile_arrive_on_resume()
    {
        await using var client = await OpcUaClient.ConnectAsync(server.EndpointUrl);
        var values = new List<uint>();
        await using var subscription = await client.SubscribeAsync([Counter], TimeSpan.Zero, value =>
        {
            lock (values)
            {
                values.Add((uint)value.Value.Value.Value!);
            }
            return ValueTask.CompletedTask;
        }, EveryChange);
        await WaitUntil(() => Count(values, _ => true) >= 5, TimeSpan.FromSeconds(30));

        await subscription.SetPublishingEnabledAsync(false);
        await Task.Delay(500); // messages already under way when publishing stopped
        var paused = Count(values, _ => true);
        await Task.Delay(1500);
        var stillPaused = Count(values, _ => true);
        await subscription.SetPublishingEnabledAsync(true);
        await WaitUntil(() => Count(values, _ => true) >= stillPaused + 25, TimeSpan.FromSeconds(30));

        Assert.True(subscription.PublishingEnabled);
        Assert.Equal(paused, stillPaused);
        lock (values)
        {
            AssertConsecutive(values);
        }
    }

    [Fact]
    public async Task DeleteMonitoredItems_stops_the_values_of_the_removed_node_only()
    {
        await using var client = await OpcUaClient.ConnectAsync(server.EndpointUrl);
        await using var subscription = await client.SubscribeAsync([Counter, FastCounter], TimeSpan.Zero, EveryChange);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var values = subscription.ReadAllAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
        var seen = new HashSet<NodeId>();
        while (seen.Count < 2 && await values.MoveNextAsync())
        {
            seen.Add(values.Current.NodeId);
        }

        var results = await subscription.RemoveAsync([FastCounter]);
        var removedAt = DateTime.UtcNow;

        Assert.True(Assert.Single(results).IsGood);
        var later = new List<MonitoredValue>();
        while (later.Count < 20 && await values.MoveNextAsync())
        {
            if (values.Current.Value.ServerTimestamp > removedAt.AddMilliseconds(500))
            {
                later.Add(values.Current);
            }
        }
        Assert.All(later, v => Assert.Equal(Counter, v.NodeId));
        await Assert.ThrowsAsync<ArgumentException>(() => subscription.RemoveAsync([FastCounter]));
    }

    private static int Count<T>(List<T> list, Func<T, bool> predicate)
    {
        lock (list)
        {
            return list.Count(predicate);
        }
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < timeout, "condition not reached in time");
            await Task.Delay(50);
        }
    }

    private static void AssertConsecutive(List<uint> counters)
    {
        for (var i = 1; i < counters.Count; i++)
        {
            Assert.True(counters[i] == counters[i - 1] + 1, $"value {i}: {counters[i - 1]} then {counters[i]}");
        }
    }
}
