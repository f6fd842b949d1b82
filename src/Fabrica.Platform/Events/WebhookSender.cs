using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabrica.Platform.Events;

/// <summary>
/// Delivers rule events to webhooks (an <c>emitEvent</c> action with <c>target: webhook</c>): an HTTP POST of the
/// transition message (docs/rules.md, "Events") as <c>application/json</c>. The production loop only enqueues
/// (<see cref="TryEnqueue"/>, never waits), so a slow or dead receiver cannot hold up rules or ingest; one worker
/// posts in order, with a timeout per attempt and retries with growing pauses for network errors, 408, 429 and 5xx.
/// A full queue drops the event; every outcome is counted (meter <c>Fabrica.Webhooks</c>).
/// </summary>
public sealed partial class WebhookSender : IDisposable
{
    public const string MeterName = "Fabrica.Webhooks";

    private readonly HttpClient _http;
    private readonly WebhookOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<WebhookEvent> _queue;
    private readonly Meter _meter;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _dropped;

    public WebhookSender(HttpClient http, WebhookOptions? options = null, ILogger<WebhookSender>? logger = null, IMeterFactory? meterFactory = null)
    {
        _http = http;
        _options = options ?? new WebhookOptions();
        _logger = logger ?? NullLogger<WebhookSender>.Instance;
        _queue = Channel.CreateBounded<WebhookEvent>(new BoundedChannelOptions(_options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _sent = _meter.CreateCounter<long>("fabrica.webhooks.sent", "{event}", "Rule events a webhook accepted (2xx)");
        _failed = _meter.CreateCounter<long>("fabrica.webhooks.failed", "{event}", "Rule events not delivered after every attempt");
        _dropped = _meter.CreateCounter<long>("fabrica.webhooks.dropped", "{event}", "Rule events dropped because the webhook queue was full");
        _meter.CreateObservableGauge("fabrica.webhooks.queue_depth", () => _queue.Reader.Count, "{event}", "Rule events waiting for delivery");
    }

    /// <summary>Queues an event for <paramref name="url"/>; false (counted, logged) when the queue is full.</summary>
    public bool TryEnqueue(Uri url, ReadOnlyMemory<byte> body, string ruleId)
    {
        if (_queue.Writer.TryWrite(new WebhookEvent(url, body, ruleId)))
            return true;
        _dropped.Add(1);
        Dropped(_logger, ruleId, url, _options.QueueCapacity);
        return false;
    }

    /// <summary>Delivers queued events until <paramref name="stoppingToken"/> ends.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var item in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
                await DeliverAsync(item, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverAsync(WebhookEvent item, CancellationToken stoppingToken)
    {
        string? problem = null;
        for (var attempt = 1; attempt <= _options.Attempts; attempt++)
        {
            if (attempt > 1)
                await Task.Delay(_options.RetryPause * (1 << (attempt - 2)), stoppingToken).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(_options.Timeout);
            try
            {
                using var content = new ReadOnlyMemoryContent(item.Body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var request = new HttpRequestMessage(HttpMethod.Post, item.Url) { Content = content };
                request.Headers.TryAddWithoutValidation("X-Fabrica-Rule", item.RuleId);
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    _sent.Add(1);
                    return;
                }
                problem = $"HTTP {(int)response.StatusCode}";
                var code = (int)response.StatusCode;
                if (code is not (408 or 429) and < 500)
                    break; // the receiver refuses this event: sending it again changes nothing
            }
            catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !stoppingToken.IsCancellationRequested))
            {
                problem = e is OperationCanceledException ? $"no answer within {_options.Timeout.TotalSeconds:0} s" : e.Message;
            }
        }
        _failed.Add(1);
        Failed(_logger, item.RuleId, item.Url, problem ?? "unknown");
    }

    public void Dispose() => _meter.Dispose();

    [LoggerMessage(EventId = 7501, Level = LogLevel.Warning, Message = "Webhook event of rule {RuleId} to {Url} dropped: {Capacity} events are already waiting")]
    private static partial void Dropped(ILogger logger, string ruleId, Uri url, int capacity);

    [LoggerMessage(EventId = 7502, Level = LogLevel.Warning, Message = "Webhook event of rule {RuleId} to {Url} not delivered: {Problem}")]
    private static partial void Failed(ILogger logger, string ruleId, Uri url, string problem);

    private sealed record WebhookEvent(Uri Url, ReadOnlyMemory<byte> Body, string RuleId);
}

/// <param name="QueueCapacity">Events waiting; beyond it new ones are dropped.</param>
/// <param name="Attempts">Tries per event (the first and the retries).</param>
public sealed record WebhookOptions(int QueueCapacity = 10_000, int Attempts = 3)
{
    /// <summary>How long one attempt may take, connection and answer headers included.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The pause before the first retry; it doubles before each further one.</summary>
    public TimeSpan RetryPause { get; init; } = TimeSpan.FromSeconds(1);
}
