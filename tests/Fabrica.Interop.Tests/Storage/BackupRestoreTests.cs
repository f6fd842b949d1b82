using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Fabrica.Interop.Tests.Infrastructure;

namespace Fabrica.Interop.Tests.Storage;

/// <summary>`fabrica backup` of a node under write load, `fabrica restore` into a new directory, and the restored node serves it all.</summary>
public sealed class BackupRestoreTests
{
    [Fact]
    public async Task A_backup_taken_while_writing_restores_every_sample_acknowledged_before_it_began_and_the_tokens()
    {
        using var data = new TempDirectory();
        using var backupRoot = new TempDirectory();
        using var restored = new TempDirectory();
        var backupDir = Path.Combine(backupRoot.Path, "backup-1");
        var t0 = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 3_600_000;
        var acked = new ConcurrentDictionary<long, double>();
        string deviceToken;
        long ackedBeforeBackup;
        using (var server = await ServerProcess.StartAsync(data.Path))
        {
            using var admin = new PlatformClient(server);
            deviceToken = await admin.RegisterDeviceAsync("backup-1");
            using var device = new PlatformClient(server, deviceToken);
            using var stop = new CancellationTokenSource();
            var writer = WriteUntilStoppedAsync(device, t0, acked, stop.Token);
            while (acked.Count < 2_000)
                await Task.Delay(10);

            var snapshot = acked.Keys.ToHashSet();
            ackedBeforeBackup = snapshot.Count;
            var (exit, output) = await FabricaCli.RunAsync("backup", backupDir, "--server", server.HttpUri.ToString(), "--data", data.Path);
            Assert.True(exit == 0, output);
            await stop.CancelAsync();
            await writer;

            var (restoreExit, restoreOutput) = await FabricaCli.RunAsync("restore", backupDir, "--data", data.Path);
            Assert.NotEqual(0, restoreExit);
            Assert.Contains("already holds a node", restoreOutput, StringComparison.Ordinal);
            acked.Keys.Where(k => !snapshot.Contains(k)).ToList().ForEach(k => acked.TryRemove(k, out _));
        }

        var (ok, restoreLog) = await FabricaCli.RunAsync("restore", backupDir, "--data", restored.Path);
        Assert.True(ok == 0, restoreLog);
        using var node = await ServerProcess.StartAsync(restored.Path);
        using var client = new PlatformClient(node, deviceToken);
        var stored = (await client.ReadRawAsync("backup-1", "level", t0, t0 + 100_000_000)).ToDictionary(s => s.Ts, s => s.Value);
        Assert.True(acked.Count == ackedBeforeBackup && ackedBeforeBackup >= 2_000);
        Assert.All(acked, a => Assert.Equal(a.Value, stored[a.Key]));
        using var adminAfter = new PlatformClient(node);
        Assert.Equal("backup-1", (await adminAfter.GetJsonAsync("/api/v1/devices/backup-1")).GetProperty("id").GetString());
    }

    private static async Task WriteUntilStoppedAsync(PlatformClient device, long t0, ConcurrentDictionary<long, double> acked, CancellationToken stop)
    {
        for (var batch = 0; !stop.IsCancellationRequested; batch++)
        {
            var json = new StringBuilder("[");
            for (var i = 0; i < 100; i++)
            {
                var ts = t0 + batch * 100L + i;
                json.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ",")}{{\"ts\":{ts},\"values\":{{\"level\":{ts % 977 * 0.5}}}}}");
            }
            using var response = await device.Http.PostAsync("/api/v1/devices/backup-1/telemetry",
                new StringContent(json.Append(']').ToString(), Encoding.UTF8, "application/json"), CancellationToken.None);
            if (!response.IsSuccessStatusCode)
                continue;
            for (var i = 0; i < 100; i++)
            {
                var ts = t0 + batch * 100L + i;
                acked[ts] = ts % 977 * 0.5;
            }
        }
    }
}
