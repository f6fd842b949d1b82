using System.Buffers;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabrica.Security.Audit;

/// <summary>
/// The audit log on disk: JSON Lines files <c>&lt;dir&gt;/audit-YYYYMMDD.jsonl</c> (UTC day), one hash chain across
/// all of them (<see cref="AuditRecord"/>). Appends go through a bounded queue to one writer task that assigns
/// sequence and time, writes, and flushes to disk after each batch. <see cref="DisposeAsync"/> writes everything
/// queued before it returns; a write error stops the log and makes every later append throw, so no entry is
/// dropped silently.
/// </summary>
public sealed class AuditLog : IAuditLog, IAsyncDisposable
{
    public const string FilePrefix = "audit-";
    public const string FileExtension = ".jsonl";
    private const int QueueCapacity = 4096;

    private readonly Channel<Item> _queue = Channel.CreateBounded<Item>(new BoundedChannelOptions(QueueCapacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly string _directory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Task _writer;
    private long _sequence;
    private string _previousHash;
    private FileStream? _file;
    private string? _filePath;

    private AuditLog(string directory, TimeProvider time, ILogger logger, long sequence, string previousHash)
    {
        _directory = directory;
        _time = time;
        _logger = logger;
        _sequence = sequence;
        _previousHash = previousHash;
        _writer = Task.Run(WriteLoopAsync);
    }

    public string Directory => _directory;

    /// <summary>Opens the log in <paramref name="directory"/> (e.g. <c>&lt;data&gt;/audit</c>), continuing the chain of the files there.</summary>
    public static async Task<AuditLog> OpenAsync(
        string directory, TimeProvider? timeProvider = null, ILogger<AuditLog>? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(directory);
        ILogger log = logger ?? (ILogger)NullLogger.Instance;
        var (sequence, previousHash) = await AuditFiles.ReadChainEndAsync(directory, log, cancellationToken).ConfigureAwait(false);
        return new AuditLog(directory, timeProvider ?? TimeProvider.System, log, sequence, previousHash);
    }

    public ValueTask AppendAsync(AuditEvent entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return _queue.Writer.WriteAsync(new Item(entry, null), cancellationToken);
    }

    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _queue.Writer.WriteAsync(new Item(null, flushed), cancellationToken).ConfigureAwait(false);
        await flushed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Walks the chain in <paramref name="directory"/> and names the first entry that breaks it.</summary>
    public static Task<AuditVerification> VerifyAsync(string directory, CancellationToken cancellationToken = default) =>
        AuditFiles.VerifyAsync(directory, cancellationToken);

    /// <summary>Stops accepting entries, writes and flushes all queued ones, and closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var line = new ArrayBufferWriter<byte>(512);
        var flushed = new List<TaskCompletionSource>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (_queue.Reader.TryRead(out var item))
                {
                    if (item.Flushed is { } done)
                    {
                        flushed.Add(done);
                        continue;
                    }
                    var now = _time.GetUtcNow();
                    var file = FileFor(now);
                    line.Clear();
                    var hash = AuditRecord.Write(line, _sequence + 1, now.ToUnixTimeMilliseconds(), item.Entry!, _previousHash);
                    await file.WriteAsync(line.WrittenMemory).ConfigureAwait(false);
                    _sequence++;
                    _previousHash = hash;
                }
                if (_file is not null)
                {
                    await _file.FlushAsync().ConfigureAwait(false);
                    _file.Flush(flushToDisk: true);
                }
                foreach (var done in flushed)
                    done.TrySetResult();
                flushed.Clear();
            }
        }
        catch (Exception e)
        {
            // Disk full, permissions, a removed directory: stop loudly rather than lose entries quietly.
            SecurityLog.AuditWriteFailed(_logger, e, _filePath ?? _directory);
            _queue.Writer.TryComplete(new IOException("The audit log is stopped after a write error.", e));
            foreach (var done in flushed)
                done.TrySetException(e);
            while (_queue.Reader.TryRead(out var item))
                item.Flushed?.TrySetException(e);
        }
        finally
        {
            if (_file is not null)
                await _file.DisposeAsync().ConfigureAwait(false);
        }
    }

    private FileStream FileFor(DateTimeOffset now)
    {
        var path = Path.Combine(_directory, FileNameFor(now));
        if (_file is not null && string.Equals(path, _filePath, StringComparison.Ordinal))
            return _file;
        if (_file is not null)
        {
            _file.Flush(flushToDisk: true);
            _file.Dispose();
        }
        _file = AuditFiles.OpenForAppend(path);
        _filePath = path;
        return _file;
    }

    public static string FileNameFor(DateTimeOffset time) =>
        FilePrefix + time.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + FileExtension;

    private readonly record struct Item(AuditEvent? Entry, TaskCompletionSource? Flushed);
}
