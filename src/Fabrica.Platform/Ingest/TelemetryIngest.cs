using System.Buffers;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabrica.Platform.Ingest;

/// <summary>
/// The DAX/DPS ingest stage: validates a device's telemetry message, stores it durably, counts it, and
/// says what to tell the device. Transport-neutral: the MQTT broker and the HTTP API call it alike and
/// acknowledge only after <see cref="IngestAsync(string, ReadOnlyMemory{byte}, IngestTransport, CancellationToken)"/>
/// has completed. Thread-safe; one instance per host.
/// </summary>
public sealed partial class TelemetryIngest : IDisposable
{
    private readonly ITelemetrySink _sink;
    private readonly IngestLimits _limits;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TagCache _tags;
    private readonly RejectionLogBudget _logBudget;

    public TelemetryIngest(
        ITelemetrySink sink,
        IngestLimits? limits = null,
        TimeProvider? time = null,
        ILogger<TelemetryIngest>? logger = null,
        IMeterFactory? meterFactory = null,
        TagCache? tags = null)
    {
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _limits = limits ?? IngestLimits.Default;
        _limits.Validate();
        _time = time ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _tags = tags ?? new TagCache();
        _logBudget = new RejectionLogBudget(_time);
        Metrics = new IngestMetrics(meterFactory);
    }

    public IngestMetrics Metrics { get; }

    public IngestLimits Limits => _limits;

    public ValueTask<IngestOutcome> IngestAsync(string deviceId, ReadOnlyMemory<byte> payload, IngestTransport transport, CancellationToken cancellationToken = default) =>
        IngestAsync(deviceId, new ReadOnlySequence<byte>(payload), transport, cancellationToken);

    /// <summary>
    /// Parses <paramref name="payload"/> for <paramref name="deviceId"/> (from the topic or URL, already
    /// authenticated) and stores it. Completes when the samples are durable, or at once with a rejection;
    /// a failing sink throws, and the message must then not be acknowledged.
    /// </summary>
    public ValueTask<IngestOutcome> IngestAsync(string deviceId, ReadOnlySequence<byte> payload, IngestTransport transport, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        Metrics.MessageReceived(transport);
        var now = UnixTime.Now(_time);

        if (!NamingRules.IsValidDeviceId(deviceId))
        {
            return ValueTask.FromResult(Reject(deviceId, transport, now, new TelemetryRejection(RejectReason.InvalidDeviceId, null,
                "A device id is 1 to 128 letters, digits, '-', '_' or '.'.")));
        }

        var batch = new SampleBatch();
        if (!TelemetryPayloadParser.TryParse(payload, deviceId, now, _limits, batch, out var rejection, _tags))
        {
            batch.Dispose();
            return ValueTask.FromResult(Reject(deviceId, transport, now, rejection));
        }

        return StoreAsync(deviceId, transport, batch, cancellationToken);
    }

    private async ValueTask<IngestOutcome> StoreAsync(string deviceId, IngestTransport transport, SampleBatch batch, CancellationToken cancellationToken)
    {
        var count = batch.Count;
        try
        {
            await _sink.WriteAsync(batch.Samples, transport, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The batch is not returned to the pool: a sink that failed half-way may still read it.
            IngestLog.StoreFailed(_logger, e, count, deviceId);
            throw;
        }

        batch.Dispose();
        Metrics.SamplesStored(count);
        IngestLog.Stored(_logger, count, deviceId, transport);
        return IngestOutcome.Accepted(count);
    }

    private IngestOutcome Reject(string deviceId, IngestTransport transport, long now, TelemetryRejection rejection)
    {
        Metrics.MessageRejected(rejection.Reason);
        var reason = rejection.Reason.WireName();
        if (_logBudget.TryTake(out var suppressed))
        {
            if (suppressed > 0)
                IngestLog.RejectionsSuppressed(_logger, suppressed, RejectionLogBudget.PerSecond);
            IngestLog.Rejected(_logger, deviceId, transport, reason, rejection.Field, rejection.Message);
        }
        else
        {
            IngestLog.RejectedQuietly(_logger, deviceId, transport, reason, rejection.Field, rejection.Message);
        }
        return IngestOutcome.Rejected(IngestErrorReport.From(deviceId, rejection, now));
    }

    public void Dispose() => Metrics.Dispose();
}
