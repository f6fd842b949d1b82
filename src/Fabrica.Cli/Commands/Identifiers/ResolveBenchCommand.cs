using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Fabrica.Identifiers.Native;
using Fabrica.Identifiers.Resolution;
using Fabrica.Identifiers.Signing;
using Fabrica.Server.Hosting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Fabrica.Cli.Commands.Identifiers;

internal sealed class ResolveBenchSettings : ClientSettings
{
    [CommandOption("--target <TARGET>")]
    [Description("udp (native protocol), http (REST GET) or chain (cold recursive resolution through --root)")]
    public string Target { get; init; } = "udp";

    [CommandOption("--prefix <PREFIX>")]
    [Description("Prefix of the bench handles PREFIX/BENCH-0 … (default 88.100.12)")]
    public string Prefix { get; init; } = "88.100.12";

    [CommandOption("--handles <N>")]
    [Description("Distinct handles resolved in turn (default 1000)")]
    public int Handles { get; init; } = 1000;

    [CommandOption("--register")]
    [Description("First register the handles over REST (--server, --token)")]
    public bool Register { get; init; }

    [CommandOption("--handle-host <ADDRESS>")]
    public string HandleHost { get; init; } = "127.0.0.1";

    [CommandOption("--handle-port <N>")]
    public int HandlePort { get; init; } = IdentifierNodeSettings.DefaultHandlePort;

    [CommandOption("--connections <N>")]
    [Description("UDP sockets or HTTP connections (default 4)")]
    public int Connections { get; init; } = 4;

    [CommandOption("--window <N>")]
    [Description("Requests in flight per connection (UDP; HTTP/1.1 has one) (default 32)")]
    public int Window { get; init; } = 32;

    [CommandOption("--duration <SECONDS>")]
    public int DurationSeconds { get; init; } = 10;

    [CommandOption("--root <HOST:PORT>")]
    [Description("chain: roots to resolve through (repeatable)")]
    public string[] Roots { get; init; } = [];

    [CommandOption("--root-key <FILE>")]
    public string? RootKey { get; init; }

    public override ValidationResult Validate() =>
        Target is not ("udp" or "http" or "chain") ? ValidationResult.Error("--target is udp, http or chain.")
        : Target == "chain" && (Roots.Length == 0 || RootKey is null) ? ValidationResult.Error("--target chain needs --root and --root-key.")
        : Window is < 1 or > 4096 ? ValidationResult.Error("--window is 1 to 4096.")
        : ValidationResult.Success();
}

/// <summary>
/// <c>fabrica bench resolve</c>: a load generator for identifier resolution on the same machine. UDP keeps
/// <c>--window</c> requests in flight on each of <c>--connections</c> sockets (a request is re-sent after 1 s without
/// an answer); HTTP runs one closed loop per keep-alive connection; chain resolves each handle once through the whole
/// hierarchy with an empty cache. Reports answers per second and p50/p99 latency; "server too busy" answers are counted
/// apart (turn the node's rate limit off to measure throughput).
/// </summary>
internal sealed class ResolveBenchCommand : AsyncCommand<ResolveBenchSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ResolveBenchSettings s, CancellationToken cancellationToken)
    {
        var handles = Enumerable.Range(0, s.Handles).Select(i => $"{s.Prefix}/BENCH-{i}").ToArray();
        if (s.Register)
            await RegisterAsync(s, handles, cancellationToken);
        var result = s.Target switch
        {
            "udp" => await UdpAsync(s, handles, cancellationToken),
            "http" => await HttpAsync(s, handles, cancellationToken),
            _ => await ChainAsync(s, handles, cancellationToken),
        };
        var (count, busy, errors, seconds, latencies) = result;
        latencies.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"target={s.Target} answers={count} rate={count / seconds:F0}/s p50={Percentile(latencies, 0.50):F3}ms p99={Percentile(latencies, 0.99):F3}ms busy={busy} errors={errors} seconds={seconds:F1} connections={s.Connections} window={s.Window} nproc={Environment.ProcessorCount}"));
        return 0;
    }

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

    private static async Task RegisterAsync(ResolveBenchSettings s, string[] handles, CancellationToken cancellationToken)
    {
        using var api = new HandleApi(s, tokenRequired: true);
        await Parallel.ForEachAsync(handles, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (handle, ct) =>
        {
            var values = new List<HandleValueJson>
            {
                new(1, "URL", new HandleDataJson("string", $"https://example.com/{handle}")),
                new(2, "manufacturer", new HandleDataJson("string", "ACME Pumps")),
            };
            var answer = await api.PutAsync(HandleApi.Route(handle), JsonSerializer.Serialize(values, CliIdJsonContext.Default.ListHandleValueJson), ct);
            if (!answer.Succeeded)
                throw new CliException($"{handle}: {answer.Describe()}");
        });
        Console.Error.WriteLine($"registered {handles.Length} handles");
    }

    private sealed record Outcome(long Count, long Busy, long Errors, double Seconds, List<double> Latencies);

    private static async Task<Outcome> UdpAsync(ResolveBenchSettings s, string[] handles, CancellationToken cancellationToken)
    {
        var requests = handles.Select(h => HandleMessage.Encode(0, new MessageHeader(OpCode.Resolution, ResponseCode.Reserved, OpFlags.PublicOnly, 0, 0, 0, 0),
            MessageBodies.WriteResolutionRequest(new ResolutionRequest(h, [], [])))).ToArray();
        var server = new IPEndPoint(IPAddress.Parse(s.HandleHost), s.HandlePort);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(TimeSpan.FromSeconds(s.DurationSeconds));
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, s.Connections).Select(w => Task.Run(() => UdpWorkerAsync(server, requests, w, s.Window, stop.Token), CancellationToken.None)).ToArray();
        var outcomes = await Task.WhenAll(workers);
        return new Outcome(outcomes.Sum(o => o.Count), outcomes.Sum(o => o.Busy), outcomes.Sum(o => o.Errors), clock.Elapsed.TotalSeconds, outcomes.SelectMany(o => o.Latencies).ToList());
    }

    private static async Task<Outcome> UdpWorkerAsync(IPEndPoint server, byte[][] requests, int worker, int window, CancellationToken stop)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.ReceiveBufferSize = 4 << 20;
        await socket.ConnectAsync(server, CancellationToken.None);
        var sentAt = new long[window];
        var latencies = new List<double>(1 << 20);
        long count = 0, busy = 0, errors = 0, next = worker * 7919L;
        var buffer = new byte[65536];
        var send = new byte[requests.Max(r => r.Length)];

        async Task SendAsync(int slot)
        {
            var request = requests[(int)(next++ % requests.Length)];
            request.CopyTo(send, 0);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(send.AsSpan(8), slot);
            sentAt[slot] = Stopwatch.GetTimestamp();
            await socket.SendAsync(send.AsMemory(0, request.Length), SocketFlags.None, CancellationToken.None);
        }

        for (var slot = 0; slot < window; slot++)
            await SendAsync(slot);
        while (!stop.IsCancellationRequested)
        {
            int received;
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stop))
            {
                wait.CancelAfter(TimeSpan.FromSeconds(1));
                try
                {
                    received = await socket.ReceiveAsync(buffer, SocketFlags.None, wait.Token);
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    // Lost datagrams: refill the whole window.
                    errors += window;
                    for (var slot = 0; slot < window; slot++)
                        await SendAsync(slot);
                    continue;
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            var slotOf = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(8));
            if (slotOf < 0 || slotOf >= window || received < MessageEnvelope.Size + MessageHeader.Size)
                continue;
            var code = (ResponseCode)System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(MessageEnvelope.Size + 4));
            if (code == ResponseCode.Success)
            {
                count++;
                latencies.Add(Stopwatch.GetElapsedTime(sentAt[slotOf]).TotalMilliseconds);
            }
            else if (code == ResponseCode.ServerTooBusy)
            {
                busy++;
            }
            else
            {
                errors++;
            }
            await SendAsync(slotOf);
        }
        return new Outcome(count, busy, errors, 0, latencies);
    }

    private static async Task<Outcome> HttpAsync(ResolveBenchSettings s, string[] handles, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = s.Connections, UseProxy = false }) { BaseAddress = s.ServerUri };
        var paths = handles.Select(HandleApi.Route).ToArray();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(TimeSpan.FromSeconds(s.DurationSeconds));
        var clock = Stopwatch.StartNew();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, s.Connections).Select(w => Task.Run(async () =>
        {
            var latencies = new List<double>(1 << 20);
            long count = 0, busy = 0, errors = 0, next = w * 7919L;
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.GetAsync(paths[next++ % paths.Length], HttpCompletionOption.ResponseContentRead, stop.Token);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        count++;
                        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                    else if ((int)response.StatusCode == 429)
                    {
                        busy++;
                    }
                    else
                    {
                        errors++;
                    }
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            return new Outcome(count, busy, errors, 0, latencies);
        }, CancellationToken.None)));
        return new Outcome(outcomes.Sum(o => o.Count), outcomes.Sum(o => o.Busy), outcomes.Sum(o => o.Errors), clock.Elapsed.TotalSeconds, outcomes.SelectMany(o => o.Latencies).ToList());
    }

    private static async Task<Outcome> ChainAsync(ResolveBenchSettings s, string[] handles, CancellationToken cancellationToken)
    {
        var resolver = new RecursiveResolver(s.Roots.Select(HandleEndPoints.Parse).ToList(), TrustAnchors.Read(s.RootKey!),
            new ResolverOptions { ServerTimeout = TimeSpan.FromSeconds(2) });
        var latencies = new List<double>(handles.Length);
        long count = 0, errors = 0;
        var clock = Stopwatch.StartNew();
        foreach (var handle in handles)
        {
            resolver.ClearCache();
            var started = Stopwatch.GetTimestamp();
            var resolved = await resolver.ResolveAsync(handle, cancellationToken);
            if (resolved.Code == ResponseCode.Success && !resolved.FromCache)
            {
                count++;
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            else
            {
                errors++;
            }
            if (clock.Elapsed.TotalSeconds > s.DurationSeconds)
                break;
        }
        return new Outcome(count, 0, errors, clock.Elapsed.TotalSeconds, latencies);
    }
}
