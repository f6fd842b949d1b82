using System.Globalization;
using Fabrica.Protocols.OpcUa;
using Fabrica.Protocols.OpcUa.Subscriptions;

namespace Fabrica.Protocols.Tests.OpcUa.Interop;

/// <summary>
/// The subscription proof: at least 3,000 consecutive values, none lost or duplicated, across a dropped
/// connection and across a server restart. The counter the server increments every 100 ms would take five minutes
/// for 3,000 values; FastCounter increments every 10 ms while the subscription still publishes every 100 ms (about
/// ten values per notification message), so the same proof takes about 35 s. Sampling interval 0 asks for every
/// change (exception-based), so every increment is a notification and any gap is the client's.
/// </summary>
[Collection(NodeOpcUaCollection.Name)]
public sealed class NodeOpcUaLongSubscriptionTests(NodeOpcUaServer server)
{
    /// <summary>
    /// FastCounter by default; <c>FABRICA_OPCUA_COUNTER=Counter</c> runs the literal setup (the counter the server
    /// increments every 100 ms: about 5 minutes per test).
    /// </summary>
    private static readonly NodeId FastCounter = NodeId.Parse("ns=1;s=" + (Environment.GetEnvironmentVariable("FABRICA_OPCUA_COUNTER") is "Counter" ? "Counter" : "FastCounter"));

    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(FastCounter.ToString().EndsWith("FastCounter", StringComparison.Ordinal) ? 3 : 10);

    // 2,000 queued values per item = 20 s of FastCounter while the connection is down: the server keeps them all.
    private static readonly SubscriptionOptions EveryChange = new() { PublishingInterval = TimeSpan.FromMilliseconds(100), QueueSize = 2000 };

    [Fact]
    public async Task Three_thousand_values_of_a_100_ms_subscription_arrive_consecutively_across_a_dropped_connection()
    {
        await using var client = await OpcUaClient.ConnectAsync(server.EndpointUrl);
        await using var subscription = await client.SubscribeAsync([FastCounter], TimeSpan.Zero, EveryChange);
        var values = new List<uint>(3000);
        using var timeout = new CancellationTokenSource(Limit);

        await foreach (var value in subscription.ReadAllAsync(timeout.Token))
        {
            values.Add((uint)value.Value.Value.Value!);
            if (values.Count == 1500)
            {
                client.DropConnection();
            }
            if (values.Count == 3000)
            {
                break;
            }
        }

        Assert.Equal(1, client.Reconnects);
        AssertConsecutive(values, 0, values.Count);
    }

    [Fact]
    public async Task After_a_server_restart_the_only_gap_is_the_time_the_server_was_down_and_no_value_repeats()
    {
        // Both server processes count from the same epoch, so the restarted one continues past every value sent before.
        var epoch = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var peer = new NodeOpcUaServer { Arguments = ["--epoch", epoch] };
        await peer.InitializeAsync();
        try
        {
            await using var client = await OpcUaClient.ConnectAsync(peer.EndpointUrl);
            var reconnected = new TaskCompletionSource<(bool SessionSurvived, DateTime At)>(TaskCreationOptions.RunContinuationsAsynchronously);
            client.Reconnected += survived => reconnected.TrySetResult((survived, DateTime.UtcNow));
            await using var subscription = await client.SubscribeAsync([FastCounter], TimeSpan.Zero, EveryChange);
            var values = new List<MonitoredValue>(3000);
            var killedAt = DateTime.MinValue;
            var deadAt = DateTime.MinValue;
            using var timeout = new CancellationTokenSource(Limit);

            await foreach (var value in subscription.ReadAllAsync(timeout.Token))
            {
                values.Add(value);
                if (values.Count == 1500)
                {
                    killedAt = DateTime.UtcNow;
                    await peer.KillAsync();
                    deadAt = DateTime.UtcNow; // the server may produce values until the kill has taken effect
                    await peer.StartAsync();
                }
                if (values.Count == 3000)
                {
                    break;
                }
            }

            var (sessionSurvived, reconnectedAt) = await reconnected.Task.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.False(sessionSurvived); // a new process knows no session: the client made a new one and re-created the subscription
            var counters = values.Select(v => (uint)v.Value.Value.Value!).ToList();
            var gaps = Enumerable.Range(1, counters.Count - 1).Where(i => counters[i] != counters[i - 1] + 1).ToList();
            var gap = Assert.Single(gaps);
            Assert.True(counters[gap] > counters[gap - 1], $"value {gap}: {counters[gap - 1]} then {counters[gap]} (a repeat or a step back)");
            AssertConsecutive(counters, 0, gap);
            AssertConsecutive(counters, gap, counters.Count);
            // The gap lies within the outage: the last value before it was sampled while the server was being killed
            // (between the decision and the process's death, or at most a loaded machine's slack before it); the first
            // after it after the death, no later than shortly after the client had re-created its subscription.
            var before = values[gap - 1].Value.SourceTimestamp;
            var after = values[gap].Value.SourceTimestamp;
            Assert.InRange(before, killedAt - TimeSpan.FromSeconds(2), deadAt);
            Assert.InRange(after, deadAt, reconnectedAt + TimeSpan.FromSeconds(2));
        }
        finally
        {
            await peer.DisposeAsync();
        }
    }

    private static void AssertConsecutive(List<uint> counters, int from, int to)
    {
        for (var i = from + 1; i < to; i++)
        {
            Assert.True(counters[i] == counters[i - 1] + 1, $"value {i}: {counters[i - 1]} then {counters[i]}");
        }
    }
}
