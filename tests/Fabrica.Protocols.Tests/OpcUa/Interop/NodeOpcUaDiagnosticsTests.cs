using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Fabrica.Protocols.OpcUa;
using Fabrica.Protocols.OpcUa.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Fabrica.Protocols.Tests.OpcUa.Interop;

/// <summary>The client's log events and the "Fabrica.OpcUa" meter, seen through a dropped connection.</summary>
[Collection(NodeOpcUaCollection.Name)]
public sealed class NodeOpcUaDiagnosticsTests(NodeOpcUaServer server)
{
    private static readonly NodeId Counter = NodeId.Parse("ns=1;s=Counter");

    [Fact]
    public async Task A_dropped_connection_is_logged_with_stable_event_ids_and_counted_by_the_meter()
    {
        var measurements = new ConcurrentDictionary<string, long>();
        var maxOutstanding = 0L;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == OpcUaMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "opcua.endpoint" && (string?)tag.Value == server.EndpointUrl)
                {
                    var total = measurements.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
                    if (instrument.Name == "fabrica.opcua.publish_requests.outstanding")
                    {
                        InterlockedMax(ref maxOutstanding, total);
                    }
                }
            }
        });
        listener.Start();
        var log = new ListLoggerFactory();
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await using (var client = await OpcUaClient.ConnectAsync(server.EndpointUrl, new OpcUaClientOptions { LoggerFactory = log }))
        {
            client.Reconnected += _ => reconnected.TrySetResult();
            await using var subscription = await client.SubscribeAsync([Counter], TimeSpan.Zero, new Fabrica.Protocols.OpcUa.SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(100) });
            var received = 0;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await foreach (var _ in subscription.ReadAllAsync(timeout.Token))
            {
                if (++received == 10)
                {
                    client.DropConnection();
                }
                if (received == 30)
                {
                    break;
                }
            }
            await reconnected.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        Assert.Contains(log.Events, e => e.Id == 4100); // connected
        Assert.Contains(log.Events, e => e.Id == 4101); // connection lost
        Assert.Contains(log.Events, e => e.Id == 4102 && e.Message.Contains("session survived: True", StringComparison.Ordinal));
        Assert.Equal(1, measurements.GetValueOrDefault("fabrica.opcua.reconnects"));
        Assert.True(measurements.GetValueOrDefault("fabrica.opcua.notifications") >= 30);
        Assert.InRange(Interlocked.Read(ref maxOutstanding), 1, new OpcUaClientOptions().MaxOutstandingPublishRequests);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while ((current = Interlocked.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private sealed class ListLoggerFactory : ILoggerFactory, ILogger
    {
        public ConcurrentQueue<(int Id, string Message)> Events { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Events.Enqueue((eventId.Id, formatter(state, exception)));

        public void Dispose()
        {
        }
    }
}
