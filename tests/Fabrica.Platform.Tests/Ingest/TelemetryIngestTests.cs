using System.Diagnostics.Metrics;
using System.Text;
using Fabrica.Platform.Ingest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Fabrica.Platform.Tests.Ingest;

public sealed class TelemetryIngestTests : IDisposable
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_764_480_000_000);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly RecordingSink _sink = new();
    private readonly RecordingLogger _logger = new();
    private readonly TelemetryIngest _ingest;

    public TelemetryIngestTests() => _ingest = new TelemetryIngest(_sink, IngestLimits.Default, _time, _logger);

    public void Dispose() => _ingest.Dispose();

    private ValueTask<IngestOutcome> Ingest(string json, string device = "press-7", IngestTransport transport = IngestTransport.Mqtt) =>
        _ingest.IngestAsync(device, Encoding.UTF8.GetBytes(json), transport);

    [Fact]
    public async Task Accepted_samples_reach_the_sink_stamped_with_the_injected_clock()
    {
        var outcome = await Ingest("""{"temperature": 71.2, "running": true}""");

        Assert.True(outcome.IsAccepted);
        Assert.Equal(2, outcome.AcceptedSamples);
        var written = Assert.Single(_sink.Writes);
        Assert.Equal(
            [new(new("press-7", "temperature"), new(1_764_480_000_000, 71.2)), new SeriesSample(new("press-7", "running"), new(1_764_480_000_000, true))],
            written);
    }

    [Fact]
    public async Task Server_time_follows_the_time_provider()
    {
        _time.Advance(TimeSpan.FromSeconds(90));

        await Ingest("""{"a": 1}""");

        Assert.Equal(1_764_480_090_000, _sink.Writes[0][0].Sample.Timestamp);
    }

    [Fact]
    public async Task Invalid_messages_never_reach_the_sink_and_come_back_as_an_error_report()
    {
        var outcome = await Ingest("""[{"a": 1}, {"ts": 1764479000000, "values": {"temperature": null}}]""");

        Assert.False(outcome.IsAccepted);
        Assert.Empty(_sink.Writes);
        Assert.Equal(
            new IngestErrorReport("press-7", RejectReason.InvalidValue, "$[1].values.temperature", outcome.Error!.Message, 1_764_480_000_000),
            outcome.Error);
    }

    [Fact]
    public async Task An_invalid_device_id_is_rejected_before_parsing()
    {
        var outcome = await Ingest("""{"a": 1}""", device: "press/7");

        Assert.Equal(RejectReason.InvalidDeviceId, outcome.Error?.Reason);
        Assert.Empty(_sink.Writes);
    }

    [Fact]
    public async Task Rejections_are_counted_per_reason_and_messages_per_total()
    {
        await Ingest("""{"a": 1}""");
        await Ingest("""{"a": null}""");
        await Ingest("""{"a": [1]}""");
        await Ingest("""{"a": 1""");
        await Ingest("""{"ts": "tomorrow", "values": {"a": 1}}""", transport: IngestTransport.Http);

        Assert.Equal(5, _ingest.Metrics.Messages);
        Assert.Equal(1, _ingest.Metrics.Samples);
        Assert.Equal(4, _ingest.Metrics.Rejected);
        Assert.Equal(2, _ingest.Metrics.RejectedFor(RejectReason.InvalidValue));
        Assert.Equal(1, _ingest.Metrics.RejectedFor(RejectReason.MalformedJson));
        var byReason = _ingest.Metrics.RejectedByReason();
        Assert.Equal(RejectReasons.All.Count, byReason.Count);
        Assert.Equal(1, byReason[RejectReason.InvalidTimestamp]);
        Assert.Equal(0, byReason[RejectReason.PayloadTooLarge]);
    }

    [Fact]
    public async Task Instruments_on_the_Fabrica_Ingest_meter_carry_transport_and_reason_tags()
    {
        var measurements = new List<(string Name, long Value, string Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, _ingest.Metrics.Meter))
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (measurements)
                measurements.Add((instrument.Name, value, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}"))));
        });
        listener.Start();

        await Ingest("""{"a": 1, "b": 2}""", transport: IngestTransport.Http);
        await Ingest("""{"a": 1e999}""");

        Assert.Equal("Fabrica.Ingest", _ingest.Metrics.Meter.Name);
        Assert.Equal(
            [("fabrica.ingest.messages", 1, "transport=http"), ("fabrica.ingest.samples", 2, ""),
             ("fabrica.ingest.messages", 1, "transport=mqtt"), ("fabrica.ingest.rejected", 1, "reason=invalid_value")],
            measurements);
    }

    [Fact]
    public async Task A_rejection_is_logged_as_a_warning_with_device_reason_and_field()
    {
        await Ingest("""{"values": {"temperature": "hot", "a/b": 1}}""");

        var entry = Assert.Single(_logger.Entries);
        Assert.Equal((LogLevel.Warning, 2101), (entry.Level, entry.EventId));
        Assert.Contains("press-7", entry.Message, StringComparison.Ordinal);
        Assert.Contains("invalid_key", entry.Message, StringComparison.Ordinal);
        Assert.Contains("$.values['a/b']", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flood_of_rejections_drops_to_debug_and_is_summed_up_in_the_next_second()
    {
        for (var i = 0; i < 25; i++)
            await Ingest("{");
        _time.Advance(TimeSpan.FromSeconds(1));
        await Ingest("{");

        Assert.Equal(25 + 1, _ingest.Metrics.RejectedFor(RejectReason.MalformedJson));
        Assert.Equal(10 + 1, _logger.Entries.Count(e => e.EventId == 2101));
        Assert.Equal(15, _logger.Entries.Count(e => e.EventId == 2102 && e.Level == LogLevel.Debug));
        var summary = Assert.Single(_logger.Entries, e => e.EventId == 2103);
        Assert.StartsWith("15 more telemetry rejections", summary.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_sink_propagates_and_counts_nothing_as_stored()
    {
        _sink.Failure = new IOException("disk full");

        await Assert.ThrowsAsync<IOException>(() => Ingest("""{"a": 1}""").AsTask());

        Assert.Equal(0, _ingest.Metrics.Samples);
        Assert.Equal(0, _ingest.Metrics.Rejected);
        Assert.Equal((LogLevel.Error, 2104), (_logger.Entries[0].Level, _logger.Entries[0].EventId));
    }

    [Fact]
    public async Task Cancellation_reaches_the_sink()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => _ingest.IngestAsync("press-7", "{\"a\": 1}"u8.ToArray(), IngestTransport.Mqtt, cancellation.Token).AsTask());
    }

    [Fact]
    public async Task A_multi_segment_MQTT_payload_is_ingested()
    {
        var sequence = Segments.Split(Encoding.UTF8.GetBytes("""[{"ts": 1764479000000, "values": {"a": 1, "b": 2}}]"""), 5);

        var outcome = await _ingest.IngestAsync("press-7", sequence, IngestTransport.Mqtt);

        Assert.Equal(2, outcome.AcceptedSamples);
    }

    [Fact]
    public async Task Tag_names_are_interned_across_devices()
    {
        await Ingest("""{"temperature": 1}""", device: "a");
        await Ingest("""{"temperature": 2}""", device: "b");

        Assert.Same(_sink.Writes[0][0].Series.Tag, _sink.Writes[1][0].Series.Tag);
    }

    [Fact]
    public void Limits_out_of_range_are_refused_at_construction()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TelemetryIngest(_sink, new IngestLimits { MaxTagLength = 300 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TelemetryIngest(_sink, new IngestLimits { MaxFutureSkew = TimeSpan.FromSeconds(-1) }));
    }

    [Fact]
    public void Limits_follow_the_storage_engine_future_skew()
    {
        var limits = IngestLimits.For(new Storage.StorageOptions { Directory = "x", MaxFutureSkew = TimeSpan.FromHours(2) });

        Assert.Equal(TimeSpan.FromHours(2), limits.MaxFutureSkew);
    }

    /// <summary>Copies what it is given, as a durable store would, and can fail like a full disk.</summary>
    private sealed class RecordingSink : ITelemetrySink
    {
        public List<SeriesSample[]> Writes { get; } = [];

        public Exception? Failure { get; set; }

        public ValueTask WriteAsync(ReadOnlyMemory<SeriesSample> samples, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Failure is not null)
                return ValueTask.FromException(Failure);
            lock (Writes)
                Writes.Add(samples.ToArray());
            return ValueTask.CompletedTask;
        }
    }
}

internal sealed class RecordingLogger : ILogger<TelemetryIngest>
{
    public List<(LogLevel Level, int EventId, string Message)> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Entries)
            Entries.Add((logLevel, eventId.Id, formatter(state, exception)));
    }
}
