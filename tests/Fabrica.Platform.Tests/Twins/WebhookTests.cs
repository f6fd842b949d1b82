using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Fabrica.Platform.Events;
using Fabrica.Platform.Models;
using Fabrica.Platform.Tests.Models;
using Fabrica.Platform.Twins;
using Fabrica.Rules;

namespace Fabrica.Platform.Tests.Twins;

/// <summary>Rule events to webhooks, received by a real HTTP/1.1 listener on a loopback socket.</summary>
public sealed class WebhookTests
{
    [Fact]
    public async Task A_rule_event_is_posted_to_its_webhook_and_a_refusing_receiver_is_retried_then_given_up()
    {
        using var receiver = new HookReceiver(statuses: [503, 200, 400]);
        await using var bed = await ModelTestBed.StartAsync();
        var rule = new AssetRule(new RuleDefinition("hot-hook", "Spindle hot", ["spindle_temp"],
            new ThresholdCondition("spindle_temp", RaiseAbove: 80, ClearBelow: 75),
            [new EmitEventAction(EventTarget.Webhook, Url: receiver.Url + "hooks/hot", Name: "spindle-hot") { On = ActionTrigger.Both }]), AssetType: "cnc-mill");
        await bed.Catalog.ImportAsync(new ModelDocument([Plant.Mill], Plant.Tree, [rule]), ModelTestBed.Engineer);
        using var webhooks = new WebhookSender(new HttpClient(), new WebhookOptions(Attempts: 2) { RetryPause = TimeSpan.FromMilliseconds(10) });
        using var loop = new ProductionLoop(bed.Catalog, bed.Twins, bed.Alarms, bed.Commands, bed.Series, time: bed.Time,
            options: new ProductionLoopOptions { Webhooks = webhooks });
        using var stop = new CancellationTokenSource();
        var sending = webhooks.RunAsync(stop.Token);

        loop.Observe([new SeriesSample(new SeriesKey("plc-7", "t1"), new Sample(bed.Now, 91.5))]);
        await loop.DrainAsync();
        var first = await receiver.NextAsync();  // answered 503: tried again
        var second = await receiver.NextAsync(); // answered 200
        bed.Time.Advance(TimeSpan.FromSeconds(1));
        loop.Observe([new SeriesSample(new SeriesKey("plc-7", "t1"), new Sample(bed.Now, 60.0))]);
        await loop.DrainAsync();
        var cleared = await receiver.NextAsync(); // answered 400: refused, not retried

        Assert.Equal(("POST /hooks/hot", "hot-hook"), (first.RequestLine, first.Headers["x-fabrica-rule"]));
        Assert.Equal("application/json", first.Headers["content-type"]);
        Assert.Equal(first.Body, second.Body);
        var activated = JsonDocument.Parse(second.Body).RootElement;
        Assert.Equal(("spindle-hot", "cnc-3", "activated"), (activated.GetProperty("event").GetString(), activated.GetProperty("device").GetString(), activated.GetProperty("kind").GetString()));
        Assert.Equal(91.5, activated.GetProperty("values").GetProperty("spindle_temp").GetProperty("value").GetDouble());
        Assert.Equal("cleared", JsonDocument.Parse(cleared.Body).RootElement.GetProperty("kind").GetString());
        await stop.CancelAsync();
        await sending;
        Assert.Equal(3, receiver.Count);
    }

    /// <summary>A minimal HTTP/1.1 server: one request per connection, answered with the next status of the list.</summary>
    private sealed class HookReceiver : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Queue<int> _statuses;
        private readonly System.Threading.Channels.Channel<HookRequest> _requests = System.Threading.Channels.Channel.CreateUnbounded<HookRequest>();
        private readonly Task _accepting;
        private int _count;

        public HookReceiver(int[] statuses)
        {
            _statuses = new Queue<int>(statuses);
            _listener.Start();
            _accepting = Task.Run(AcceptAsync);
        }

        public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/";

        public int Count => Volatile.Read(ref _count);

        public async Task<HookRequest> NextAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            return await _requests.Reader.ReadAsync(timeout.Token);
        }

        private async Task AcceptAsync()
        {
            while (true)
            {
                using var client = await _listener.AcceptTcpClientAsync();
                using var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
                var requestLine = await reader.ReadLineAsync() ?? "";
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                for (var line = await reader.ReadLineAsync(); !string.IsNullOrEmpty(line); line = await reader.ReadLineAsync())
                {
                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
                }
                var body = new char[int.Parse(headers["content-length"], System.Globalization.CultureInfo.InvariantCulture)];
                await reader.ReadBlockAsync(body);
                var status = _statuses.Count > 0 ? _statuses.Dequeue() : 200;
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
                Interlocked.Increment(ref _count);
                var parts = requestLine.Split(' ');
                await _requests.Writer.WriteAsync(new HookRequest($"{parts[0]} {parts[1]}", headers, new string(body)));
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _ = _accepting.Exception;
        }
    }

    private sealed record HookRequest(string RequestLine, Dictionary<string, string> Headers, string Body);
}
