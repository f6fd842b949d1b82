using static Fabrica.Storage.Tests.Engine.EngineTestContext;

namespace Fabrica.Storage.Tests.Engine;

public sealed class BackupTests
{
    private static Dictionary<(SeriesKey, long), SampleValue> Everything(TimeSeriesEngine engine) =>
        engine.ListSeries()
            .SelectMany(s => engine.ReadRaw(s.Key, long.MinValue, long.MaxValue, int.MaxValue).Select(x => (s.Key, x)))
            .ToDictionary(p => (p.Key, p.x.Timestamp), p => p.x.Value);

    [Fact]
    public async Task A_backup_taken_while_writing_restores_to_the_same_data()
    {
        await using var context = new EngineTestContext();
        await using var restored = new EngineTestContext();
        var backupDirectory = Path.Combine(context.Directory, "..", Guid.NewGuid().ToString("N") + "-backup");
        var engine = await context.OpenAsync();
        for (var i = 0; i < 10; i++)
        {
            await engine.WriteAsync(Enumerable.Range(0, 100).Select(j => S($"d{j % 4}", "t", T0 + i * 100 + j, (double)(i * 100 + j))).ToArray());
            if (i % 3 == 0)
                await engine.FlushAsync();
        }
        var acknowledged = Everything(engine);

        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
                await engine.WriteAsync(new[] { S("late", "t", T0 + n, (double)n) });
        });
        await engine.BackupAsync(backupDirectory);
        await stop.CancelAsync();
        await writer;

        await TimeSeriesEngine.RestoreAsync(backupDirectory, restored.Directory);
        Assert.True(TimeSeriesEngine.Check(restored.Directory).Ok);
        var copy = await restored.OpenAsync();
        var data = Everything(copy);
        foreach (var (key, value) in acknowledged)
            Assert.Equal(value, data[key]);
        Assert.All(data.Keys, k => Assert.True(acknowledged.ContainsKey(k) || k.Item1.Device == "late"));
        Directory.Delete(backupDirectory, recursive: true);
    }

    [Fact]
    public async Task Restore_refuses_a_damaged_backup_and_a_non_empty_target()
    {
        await using var context = new EngineTestContext();
        await using var target = new EngineTestContext();
        var backupDirectory = Path.Combine(context.Directory, "..", Guid.NewGuid().ToString("N") + "-backup");
        var engine = await context.OpenAsync();
        await engine.WriteAsync(new[] { S("d", "t", T0, 1.0) });
        await engine.FlushAsync();
        await engine.BackupAsync(backupDirectory);
        await Assert.ThrowsAsync<IOException>(() => engine.BackupAsync(backupDirectory));

        await File.WriteAllTextAsync(Path.Combine(target.Directory, "something"), "x");
        await Assert.ThrowsAnyAsync<IOException>(() => TimeSeriesEngine.RestoreAsync(backupDirectory, target.Directory));
        File.Delete(Path.Combine(target.Directory, "something"));

        var block = Directory.GetFiles(Path.Combine(backupDirectory, "blocks")).Single();
        var bytes = await File.ReadAllBytesAsync(block);
        bytes[20] ^= 1;
        await File.WriteAllBytesAsync(block, bytes);
        await Assert.ThrowsAsync<InvalidDataException>(() => TimeSeriesEngine.RestoreAsync(backupDirectory, target.Directory));
        Assert.Empty(Directory.EnumerateFileSystemEntries(target.Directory));
        Directory.Delete(backupDirectory, recursive: true);
    }
}
