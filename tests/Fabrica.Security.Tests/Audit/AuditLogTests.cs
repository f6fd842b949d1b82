using System.Text;
using Fabrica.Security.Audit;
using Microsoft.Extensions.Time.Testing;

namespace Fabrica.Security.Tests.Audit;

public sealed class AuditLogTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "fabrica-audit-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(SecurityFixture.Start);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static AuditEvent Entry(int i) =>
        new("token:admin", AuditActions.DeviceRegister, $"device:pump-{i}", "10.0.0.5:5000" + (i % 10), AuditOutcome.Success, i % 2 == 0 ? null : $"note \"{i}\" ✓");

    private async Task WriteAsync(int count, int first = 1)
    {
        var log = await AuditLog.OpenAsync(_directory, _time);
        await using (log)
        {
            for (var i = first; i < first + count; i++)
                await log.AppendAsync(Entry(i));
        }
    }

    private string SingleFile() => Assert.Single(Directory.GetFiles(_directory, "audit-*.jsonl"));

    [Fact]
    public async Task A_written_chain_verifies_and_every_entry_keeps_its_fields()
    {
        await WriteAsync(50);

        var verification = await AuditLog.VerifyAsync(_directory);

        Assert.True(verification.IsIntact);
        Assert.Equal(50, verification.EntriesVerified);
        Assert.Null(verification.FirstBreak);
        var lines = await File.ReadAllLinesAsync(SingleFile());
        Assert.True(AuditRecord.TryRead(Encoding.UTF8.GetBytes(lines[0]), out var first, out _));
        Assert.Equal(1, first!.Sequence);
        Assert.Equal(SecurityFixture.Start.ToUnixTimeMilliseconds(), first.Time);
        Assert.Equal(AuditRecord.GenesisHash, first.PreviousHash);
        Assert.True(AuditRecord.TryRead(Encoding.UTF8.GetBytes(lines[1]), out var second, out _));
        Assert.Equal("note \"1\" ✓", first.Detail);
        Assert.Null(second!.Detail);
        Assert.Equal(first.Hash, second.PreviousHash);
        Assert.Equal("device:pump-2", second.Target);
    }

    [Fact]
    public async Task Editing_one_field_of_one_line_is_detected_at_that_entry()
    {
        await WriteAsync(10);
        var path = SingleFile();
        var lines = await File.ReadAllLinesAsync(path);
        lines[6] = lines[6].Replace("\"outcome\":\"success\"", "\"outcome\":\"denied\"", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(path, lines);

        var verification = await AuditLog.VerifyAsync(_directory);

        Assert.False(verification.IsIntact);
        Assert.Equal(6, verification.EntriesVerified);
        Assert.Equal(7, verification.FirstBreak!.Sequence);
        Assert.Equal(7, verification.FirstBreak.Line);
        Assert.Equal(path, verification.FirstBreak.File);
        Assert.Contains("hash", verification.FirstBreak.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rewriting_a_line_with_a_fresh_hash_is_detected_at_the_next_entry()
    {
        await WriteAsync(5);
        var path = SingleFile();
        var lines = await File.ReadAllLinesAsync(path);
        // A forger recomputes the edited entry's own hash; the next entry's prev no longer matches.
        Assert.True(AuditRecord.TryRead(Encoding.UTF8.GetBytes(lines[1]), out var record, out _));
        var forged = new System.Buffers.ArrayBufferWriter<byte>();
        AuditRecord.Write(forged, record!.Sequence, record.Time, new AuditEvent("token:someone-else", record.Action, record.Target, record.Source, record.Outcome, record.Detail), record.PreviousHash);
        lines[1] = Encoding.UTF8.GetString(forged.WrittenSpan).TrimEnd('\n');
        await File.WriteAllLinesAsync(path, lines);

        var verification = await AuditLog.VerifyAsync(_directory);

        Assert.Equal(3, verification.FirstBreak!.Sequence);
        Assert.Contains("prev", verification.FirstBreak.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removing_a_line_is_detected_where_it_was()
    {
        await WriteAsync(5);
        var path = SingleFile();
        var lines = (await File.ReadAllLinesAsync(path)).ToList();
        lines.RemoveAt(2);
        await File.WriteAllLinesAsync(path, lines);

        var verification = await AuditLog.VerifyAsync(_directory);

        Assert.Equal(3, verification.FirstBreak!.Sequence);
        Assert.Equal(3, verification.FirstBreak.Line);
    }

    [Fact]
    public async Task Reopening_continues_the_chain()
    {
        await WriteAsync(3);
        await WriteAsync(4, first: 4);

        var verification = await AuditLog.VerifyAsync(_directory);

        Assert.True(verification.IsIntact, verification.FirstBreak?.Problem);
        Assert.Equal(7, verification.EntriesVerified);
    }

    [Fact]
    public async Task Disposing_writes_every_queued_entry()
    {
        var log = await AuditLog.OpenAsync(_directory, _time);
        var appends = Enumerable.Range(1, 5000).Select(i => log.AppendAsync(Entry(i)).AsTask()).ToList();
        await Task.WhenAll(appends);
        await log.DisposeAsync();

        Assert.Equal(5000, (await File.ReadAllLinesAsync(SingleFile())).Length);
        Assert.True((await AuditLog.VerifyAsync(_directory)).IsIntact);
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => log.AppendAsync(Entry(1)).AsTask());
    }

    [Fact]
    public async Task Entries_from_many_writers_at_once_form_one_chain()
    {
        var log = await AuditLog.OpenAsync(_directory, _time);
        await using (log)
        {
            await Parallel.ForAsync(0, 1000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) => await log.AppendAsync(Entry(i), ct));
            await log.FlushAsync();
            Assert.Equal(1000, (await File.ReadAllLinesAsync(SingleFile())).Length);
        }
        Assert.Equal(1000, (await AuditLog.VerifyAsync(_directory)).EntriesVerified);
    }

    [Fact]
    public async Task Each_utc_day_gets_its_own_file_and_the_chain_runs_across_them()
    {
        var log = await AuditLog.OpenAsync(_directory, _time);
        await using (log)
        {
            await log.AppendAsync(Entry(1));
            await log.FlushAsync();
            _time.Advance(TimeSpan.FromDays(1));
            await log.AppendAsync(Entry(2));
        }

        Assert.Equal(["audit-20260301.jsonl", "audit-20260302.jsonl"], Directory.GetFiles(_directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(2, (await AuditLog.VerifyAsync(_directory)).EntriesVerified);
    }

    [Fact]
    public async Task A_torn_last_line_from_a_crash_is_cut_and_the_chain_continues()
    {
        await WriteAsync(3);
        var path = SingleFile();
        await File.AppendAllTextAsync(path, "{\"seq\":4,\"time\":17");
        Assert.Contains("incomplete", (await AuditLog.VerifyAsync(_directory)).FirstBreak!.Problem, StringComparison.Ordinal);

        await WriteAsync(2, first: 4);

        var verification = await AuditLog.VerifyAsync(_directory);
        Assert.True(verification.IsIntact, verification.FirstBreak?.Problem);
        Assert.Equal(5, verification.EntriesVerified);
    }

    [Fact]
    public async Task Audit_files_are_readable_by_their_owner_only()
    {
        await WriteAsync(1);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(SingleFile()));
    }
}
