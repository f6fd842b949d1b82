using Fabrica.Protocols.OpcUa;
using Fabrica.Protocols.OpcUa.Services;
using Fabrica.Protocols.OpcUa.Subscriptions;

namespace Fabrica.Protocols.Tests.OpcUa.Interop;

/// <summary>Subscriptions to the node-opcua counter that the server increments every 100 ms.</summary>
[Collection(NodeOpcUaCollection.Name)]
public sealed class NodeOpcUaSubscriptionTests(NodeOpcUaServer server)
{
    private static readonly NodeId Counter = NodeId.Parse("ns=1;s=Counter");

    // The server increments the counter every 100 ms and publishes every 100 ms. A sampled item aliases: a stalled
    // timer on a busy machine folds two changes into one sample, correctly so, and the test could not tell that from
    // loss. Sampling interval 0 on a Variable whose MinimumSamplingInterval is 0 asks for every change
    // (OPC 10000-4 §5.12.1.2, exception-based), so every increment is a notification and any gap is the client's.
    private static readonly TimeSpan SamplingInterval = TimeSpan.Zero;
    private static readonly SubscriptionOptions EveryChange = new() { PublishingInterval = TimeSpan.FromMilliseconds(100) };

    [Fact]
    public async Task A_100_ms_subscription_to_the_counter_delivers_consecutive_values_with_none_lost_or_duplicated()
    {
        await using var client = await OpcUaClient.ConnectAsync(server.EndpointUrl);
        await using var subscription = await client.SubscribeAsync([Counter], SamplingInterval, EveryChange);

        var values = await Collect(subscription, 200, TimeSpan.FromSeconds(60));

        AssertConsecutive(values);
        Assert.All(values, v => Assert.Equal(Quality.Good, v.Quality));
        Assert.All(values, v => Assert.NotNull(v.Value.Timestamp));
    }

    [Fact]
    public async Task Values_stay_consecutive_across_a_dropped_connection()
    {
        await using var client = await OpcUaClient.ConnectAsync(server.EndpointUrl);
        await using var subscription = await client.SubscribeAsync([Counter], SamplingInterval, EveryChange);
        var values = new List<uint>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        await foreach (var value in subscription.ReadAllAsync(timeout.Token))
        {
            values.Add((uint)value.Value.Value.Value!);
            if (values.Count == 60)
            {
                client.DropConnection();
            }
            if (values.Count == 200)
            {
                break;
            }
        }

        Assert.Equal(1, client.Reconnects);
        AssertConsecutive(values);
    }

    [Fact]
    public async Task A_callback_subscription_with_an_absolute_deadband_reports_only_changes_beyond_it()
    {
        await using var client = await OpcUaClient.ConnectAsync(server.EndpointUrl);
        var seen = new List<uint>();
        var enough = new TaskCompletionSource();
        var options = new SubscriptionOptions { Filter = new DataChangeFilter(DataChangeTrigger.StatusValue, DeadbandType.Absolute, 4.5) };
        await using var subscription = await client.SubscribeAsync([Counter], TimeSpan.FromMilliseconds(100), value =>
        {
            lock (seen)
            {
                seen.Add((uint)value.Value.Value.Value!);
                if (seen.Count == 8)
                {
                    enough.TrySetResult();
                }
            }
            return ValueTask.CompletedTask;
        }, options);

        await enough.Task.WaitAsync(TimeSpan.FromSeconds(30));

        lock (seen)
        {
            Assert.All(seen.Zip(seen.Skip(1)), pair => Assert.True(pair.Second - pair.First >= 5, $"{pair.First} -> {pair.Second}"));
        }
    }

    private static async Task<List<MonitoredValue>> Collect(OpcUaSubscription subscription, int count, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var values = new List<MonitoredValue>(count);
        await foreach (var value in subscription.ReadAllAsync(cancel.Token))
        {
            values.Add(value);
            if (values.Count == count)
            {
                break;
            }
        }
        return values;
    }

    private static void AssertConsecutive(List<MonitoredValue> values) => AssertConsecutive(values.Select(v => (uint)v.Value.Value.Value!).ToList());

    private static void AssertConsecutive(List<uint> counters)
    {
        for (var i = 1; i < counters.Count; i++)
        {
            Assert.True(counters[i] == counters[i - 1] + 1, $"value {i}: {counters[i - 1]} then {counters[i]}");
        }
    }
}
