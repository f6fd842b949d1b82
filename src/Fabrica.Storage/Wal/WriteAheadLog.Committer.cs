namespace Fabrica.Storage.Wal;

/// <summary>
/// Group commit. Appenders put a <see cref="PendingCommit"/> in a queue; one dedicated thread takes everything
/// queued, encodes it into one pooled buffer, writes it with one positional write and one fsync, then completes
/// every appender's task. A thread rather than a thread-pool loop: fsync blocks for its whole duration, and on a
/// two-core machine a blocked pool thread is half the pool. Backpressure: at most
/// <see cref="WalOptions.MaxPendingAppends"/> appends are accepted and not yet completed; more wait for a slot.
/// </summary>
internal sealed partial class WriteAheadLog
{
    private readonly object _gate = new(); // Monitor.Wait/Pulse need an object, not a Lock
    private readonly SemaphoreSlim _slots;
    private readonly Thread _committer;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly WalRecordEncoder _encoder = new();
    private readonly WalBuffer _buffer = new(1024 * 1024);
    private readonly List<PendingCommit> _included = [];
    private List<PendingCommit> _queue = [];
    private List<PendingCommit> _draining = [];
    private bool _committerWaiting;
    private bool _stopping;
    private int _bufferRecords;
    private volatile Exception? _fault;

    /// <summary>
    /// Completes after the fsync covering <paramref name="samples"/> has returned. The caller must not change the
    /// samples until then. Cancellation is honoured until the committer takes the append; after that it is written.
    /// </summary>
    public ValueTask AppendAsync(ReadOnlyMemory<SeriesSample> samples, CancellationToken cancellationToken = default)
    {
        if (samples.IsEmpty)
            return ValueTask.CompletedTask;
        WalRecordEncoder.Validate(samples.Span);
        if (cancellationToken.IsCancellationRequested)
            return ValueTask.FromCanceled(cancellationToken);
        if (_fault is { } fault)
            return ValueTask.FromException(FaultedError(fault));

        var pending = new PendingCommit(samples, rotation: false, cancellationToken);
        if (!_slots.Wait(0, cancellationToken))
            return EnqueueWhenFreeAsync(pending);
        Enqueue(pending);
        return new ValueTask(pending.Task);
    }

    /// <summary>Commits what is pending, closes the current segment, opens the next; returns its number.</summary>
    public async ValueTask<long> RotateSegmentAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingCommit(default, rotation: true, cancellationToken);
        Enqueue(pending);
        return await pending.Task.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (!_stopping)
            {
                _stopping = true;
                Monitor.Pulse(_gate);
            }
        }
        if (_committer.ThreadState != ThreadState.Unstarted)
            await _stopped.Task.ConfigureAwait(false);
        _encoder.Dispose();
        _buffer.Dispose();
        _writer.Dispose();
    }

    private async ValueTask EnqueueWhenFreeAsync(PendingCommit pending)
    {
        await _slots.WaitAsync(pending.CancellationToken).ConfigureAwait(false);
        Enqueue(pending);
        await pending.Task.ConfigureAwait(false);
    }

    private void Enqueue(PendingCommit pending)
    {
        lock (_gate)
        {
            if (_stopping)
            {
                if (!pending.IsRotation)
                    _slots.Release();
                throw new ObjectDisposedException(nameof(WriteAheadLog));
            }
            _queue.Add(pending);
            if (_committerWaiting)
                Monitor.Pulse(_gate);
        }
    }

    private void RunCommitter()
    {
        try
        {
            while (true)
            {
                bool stopping;
                lock (_gate)
                {
                    while (_queue.Count == 0 && !_stopping)
                    {
                        _committerWaiting = true;
                        Monitor.Wait(_gate);
                        _committerWaiting = false;
                    }
                    if (_queue.Count == 0)
                        break;
                    stopping = _stopping;
                }
                if (_options.GroupCommitWindow > TimeSpan.Zero && !stopping)
                    Task.Delay(_options.GroupCommitWindow, _time).Wait();
                lock (_gate)
                    (_queue, _draining) = (_draining, _queue);
                Process(_draining);
                _draining.Clear();
            }
            SealCurrentSegment();
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private void Process(List<PendingCommit> batch)
    {
        foreach (var pending in batch)
        {
            if (pending.CancellationToken.IsCancellationRequested)
            {
                pending.TrySetCanceled(pending.CancellationToken);
                Release(pending);
            }
            else if (_fault is { } fault)
            {
                pending.TrySetException(FaultedError(fault));
                Release(pending);
            }
            else if (pending.IsRotation)
            {
                Commit();
                Rotate(pending);
            }
            else
            {
                Encode(pending);
                if (_buffer.Length >= _options.MaxCommitBytes)
                    Commit();
            }
        }
        Commit();
    }

    private void Encode(PendingCommit pending)
    {
        var mark = _buffer.Length;
        try
        {
            _bufferRecords += _encoder.Encode(pending.Samples.Span, _buffer);
            _included.Add(pending);
        }
        catch (Exception e) // validated on entry; only samples changed by the caller while pending get here
        {
            _buffer.Truncate(mark);
            pending.TrySetException(e);
            Release(pending);
        }
    }

    private void Commit()
    {
        if (_included.Count == 0)
            return;
        var records = _buffer.WrittenSpan;
        var writer = _writer;
        var written = 0;
        try
        {
            if (!writer.IsEmpty && writer.End + records.Length > _options.SegmentBytes)
                writer = RotateCore();
            written = records.Length;
            writer.Write(records);
            var fsyncStarted = _time.GetTimestamp();
            writer.Flush();
            WalMetrics.FsyncDuration.Record(_time.GetElapsedTime(fsyncStarted).TotalMilliseconds);
        }
        catch (Exception e)
        {
            FailCommit(writer, written, e);
            return;
        }
        writer.Commit(records.Length);
        WalMetrics.Bytes.Add(records.Length);
        WalMetrics.Records.Add(_bufferRecords);
        foreach (var pending in _included)
        {
            pending.TrySetResult(0);
            Release(pending);
        }
        ClearBuffer();
    }

    private void FailCommit(WalSegmentWriter writer, int bytes, Exception cause)
    {
        WalLog.CommitFailed(_logger, cause, bytes, writer.Path, _included.Count);
        var outcome = "they were not written";
        try
        {
            if (bytes > 0)
                writer.Discard(bytes);
        }
        catch (Exception e)
        {
            _fault = e;
            WalLog.Faulted(_logger, e, writer.Path);
            outcome = "erasing the partial write failed too, so the log refuses appends until reopened";
        }
        var error = new IOException($"The write-ahead log could not commit to '{writer.Path}' ({cause.Message}); {outcome}.", cause);
        foreach (var pending in _included)
        {
            pending.TrySetException(error);
            Release(pending);
        }
        ClearBuffer();
    }

    private void Rotate(PendingCommit pending)
    {
        try
        {
            pending.TrySetResult(RotateCore().Number);
        }
        catch (Exception e)
        {
            pending.TrySetException(new IOException($"The write-ahead log could not start segment {_writer.Number + 1} in '{_directory}': {e.Message}", e));
        }
    }

    /// <summary>Opens the next segment first, so a failure leaves the current one in use.</summary>
    private WalSegmentWriter RotateCore()
    {
        var previous = _writer;
        var next = WalSegmentWriter.Create(_directory, previous.Number + 1, _options);
        SealAndDispose(previous);
        lock (_segmentsLock)
        {
            _closedSegments[previous.Number] = previous.End;
            Interlocked.Add(ref _closedBytes, previous.End);
            Volatile.Write(ref _writer, next);
        }
        WalLog.Rotated(_logger, previous.Number, previous.End, next.Number);
        return next;
    }

    private void SealCurrentSegment()
    {
        try
        {
            _writer.Seal();
        }
        catch (Exception e)
        {
            WalLog.SealFailed(_logger, e, _writer.Path);
        }
    }

    private void SealAndDispose(WalSegmentWriter segment)
    {
        try
        {
            segment.Seal();
        }
        catch (Exception e)
        {
            WalLog.SealFailed(_logger, e, segment.Path);
        }
        segment.Dispose();
    }

    private void ClearBuffer()
    {
        _included.Clear();
        _buffer.Clear();
        _bufferRecords = 0;
    }

    private void Release(PendingCommit pending)
    {
        if (!pending.IsRotation)
            _slots.Release();
    }

    private IOException FaultedError(Exception fault) =>
        new($"The write-ahead log in '{_directory}' refuses appends after an unrecoverable write failure ({fault.Message}); reopen it.", fault);

    private sealed class PendingCommit(ReadOnlyMemory<SeriesSample> samples, bool rotation, CancellationToken cancellationToken)
        : TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public ReadOnlyMemory<SeriesSample> Samples { get; } = samples;

        public bool IsRotation { get; } = rotation;

        public CancellationToken CancellationToken { get; } = cancellationToken;
    }
}
