using Fabrica.Edge.Tests.Infrastructure;

namespace Fabrica.Edge.Tests.Uplink;

/// <summary>A real edge process killed with SIGKILL loses at most what it read in the last commit interval.</summary>
public sealed class CrashSafetyTests : IDisposable
{
    private const int CommitMs = 100;
    private const int PollMs = 20;

    /// <summary>Thread scheduling on a loaded 2-core test machine; the commit timer can fire this late.</summary>
    private const int SchedulingSlackMs = 150;

    private readonly TempDirectory _dir = new();

    private string WriteConfig(string name, int port, long start)
    {
        var path = _dir.File(name);
        File.WriteAllText(path, $$"""
            {
              "id": "line1-edge",
              "token": "fbg_test",
              "platform": { "host": "127.0.0.1", "port": {{port}} },
              "uplink": { "drainRate": 200, "reconnectMin": "100ms", "reconnectMax": "500ms", "statusInterval": "1s" },
              "buffer": { "directory": "buffer", "commitInterval": "{{CommitMs}}ms", "segmentBytes": "64KiB", "maxBytes": "64MiB" },
              "devices": [
                { "id": "press-7", "adapter": "counter", "pollPeriod": "{{PollMs}}ms", "settings": { "start": {{start}} },
                  "tags": [ { "name": "counter", "address": "hr:0" } ] }
              ]
            }
            """);
        return path;
    }

    [Fact]
    public async Task Sigkill_loses_at_most_the_commit_interval_and_the_restarted_edge_backfills_the_rest()
    {
        Assert.True(MosquittoBroker.Installed, "mosquitto is missing: run scripts/install-test-peers.sh");
        using var broker = new MosquittoBroker(_dir.File("broker"));
        await broker.StartAsync();
        await using var collector = new TelemetryCollector(broker.Port);
        await collector.ConnectAsync();

        using var first = await EdgeProcess.StartAsync(WriteConfig("a.json", broker.Port, start: 0));
        await Eventually.TrueAsync(() => collector.Samples.Count >= 50, "live samples from the first process");
        await first.KillAsync();
        var readBeforeKill = first.Reads;
        var lastRead = readBeforeKill[^1].Timestamp;

        using var second = await EdgeProcess.StartAsync(WriteConfig("b.json", broker.Port, start: 1_000_000));
        var mustArrive = readBeforeKill.Where(r => r.Timestamp < lastRead - CommitMs - SchedulingSlackMs).Select(r => r.Value).ToHashSet();
        await Eventually.TrueAsync(() => mustArrive.IsSubsetOf(collector.Samples.Select(s => s.Value)), "everything read before the last commit interval, backfilled");
        await Eventually.TrueAsync(() => collector.Samples.Count(s => s.Value >= 1_000_000) >= 20, "live samples from the second process");
        Assert.Equal(0, await second.TerminateAsync());
        Assert.Contains("stopped", second.Lines);

        var received = collector.Samples.Where(s => s.Value < 1_000_000).ToList();
        var lost = readBeforeKill.Where(r => !received.Any(s => s.Value == r.Value)).ToList();
        // Whatever was lost was read in the last commit interval before the kill.
        Assert.All(lost, r => Assert.True(r.Timestamp >= lastRead - CommitMs - SchedulingSlackMs, $"value {r.Value} read {lastRead - r.Timestamp} ms before the kill was lost"));
        // Everything that arrived is contiguous from 0: the loss is one gap at the end, never a hole.
        var values = received.Select(s => s.Value).Distinct().Order().ToList();
        Assert.Equal(Enumerable.Range(0, values.Count).Select(i => (long)i), values);
        // Timestamps are the original ones.
        var readAt = readBeforeKill.ToDictionary(r => r.Value, r => r.Timestamp);
        Assert.All(received, s => Assert.Equal(readAt[s.Value], s.Timestamp));
        // Repeats (at least once) only for records acknowledged after the last saved head, i.e. just before the kill.
        var repeats = received.GroupBy(s => s.Value).Where(g => g.Count() > 1).Select(g => readAt[g.Key]).ToList();
        Assert.All(repeats, ts => Assert.True(ts >= lastRead - 1000, $"a repeat read {lastRead - ts} ms before the kill"));
    }

    public void Dispose() => _dir.Dispose();
}
