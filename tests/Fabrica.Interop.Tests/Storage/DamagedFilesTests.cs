using System.Globalization;
using System.Text;
using Fabrica.Interop.Tests.Infrastructure;

namespace Fabrica.Interop.Tests.Storage;

/// <summary>
/// Bytes flipped on disk, as a failing disk or a bad copy would: the server still starts, says what it found,
/// serves everything undamaged, and `fabrica storage check` names the damaged files.
/// </summary>
public sealed class DamagedFilesTests
{
    private const int BlockSamples = 600;
    private const int WalMessages = 50;

    [Fact]
    public async Task Flipped_bytes_in_a_block_and_the_wal_tail_are_reported_and_everything_else_is_served()
    {
        using var data = new TempDirectory();
        var t0 = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000 * 1000 - 7_200_000;
        using (var server = await ServerProcess.StartAsync(data.Path))
        {
            using var client = new PlatformClient(server);
            var token = await client.RegisterDeviceAsync("disk-1");
            using var device = new PlatformClient(server, token);
            await PostAsync(device, "a", t0, BlockSamples);
            await FlushAsync(client);
            await PostAsync(device, "b", t0, BlockSamples);
            await FlushAsync(client);
            for (var i = 0; i < WalMessages; i++)
                await PostAsync(device, "c", t0 + i * 1000L, 1);
            server.Kill();
        }

        var tsdb = Path.Combine(data.Path, "tsdb");
        var firstBlock = Directory.GetFiles(Path.Combine(tsdb, "blocks"), "*.blk").Order(StringComparer.Ordinal).First();
        FlipByte(firstBlock, 40);
        var lastSegment = Directory.GetFiles(Path.Combine(tsdb, "wal"), "*.wal").Order(StringComparer.Ordinal).Last();
        FlipByte(lastSegment, LastNonZeroByte(lastSegment) - 3);

        var (exit, report) = await FabricaCli.RunAsync("storage", "check", "--data", data.Path);
        Assert.Equal(1, exit);
        Assert.Contains($"DAMAGED  {firstBlock}", report, StringComparison.Ordinal);
        Assert.Contains($"DAMAGED  {lastSegment}", report, StringComparison.Ordinal);

        using var restarted = await ServerProcess.StartAsync(data.Path);
        Assert.Contains("storage recovery repaired damage", restarted.Output, StringComparison.Ordinal);
        using var admin = new PlatformClient(restarted);
        var status = await admin.GetJsonAsync("/api/v1/admin/storage");
        Assert.False(status.GetProperty("recovery").GetProperty("clean").GetBoolean());

        var a = await admin.ReadRawAsync("disk-1", "a", t0, t0 + 10_000_000);
        var b = await admin.ReadRawAsync("disk-1", "b", t0, t0 + 10_000_000);
        var c = await admin.ReadRawAsync("disk-1", "c", t0, t0 + 10_000_000);
        Assert.Equal(BlockSamples, b.Count);
        Assert.All(b, s => Assert.Equal(ValueOf(s.Ts), s.Value));
        Assert.InRange(c.Count, WalMessages - 1, WalMessages - 1);
        Assert.All(c, s => Assert.Equal(ValueOf(s.Ts), s.Value));
        // Whatever survives of the damaged block is correct; the damaged chunk is left out, never served wrong.
        Assert.All(a, s => Assert.Equal(ValueOf(s.Ts), s.Value));
        Assert.True(a.Count < BlockSamples, "the flipped chunk should be missing");
    }

    private static double ValueOf(long ts) => (ts / 1000 % 500) * 0.1;

    private static async Task PostAsync(PlatformClient device, string tag, long from, int count)
    {
        var json = new StringBuilder("[");
        for (var i = 0; i < count; i++)
        {
            var ts = from + i * 1000L;
            json.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ",")}{{\"ts\":{ts},\"values\":{{\"{tag}\":{ValueOf(ts)}}}}}");
        }
        using var response = await device.Http.PostAsync("/api/v1/devices/disk-1/telemetry",
            new StringContent(json.Append(']').ToString(), Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }

    private static async Task FlushAsync(PlatformClient admin)
    {
        using var response = await admin.Http.PostAsync("/api/v1/admin/storage/flush", null);
        response.EnsureSuccessStatusCode();
    }

    private static void FlipByte(string path, long offset)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        var b = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(b ^ 0x5A));
    }

    /// <summary>WAL segments are preallocated with zeros; the last record ends at the last non-zero byte.</summary>
    private static long LastNonZeroByte(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var i = bytes.Length - 1;
        while (i > 0 && bytes[i] == 0)
            i--;
        return i;
    }
}
