using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Fabrica.Bench.Peers;

/// <summary>
/// <c>influx-load</c>: writes the data set to InfluxDB 1.x as line protocol over HTTP
/// (<c>sensor,device=d042,tag=t7 value=51.23 1764480000000</c>, precision ms): one series per device and tag,
/// time-major batches of <c>--batch</c> points taken by <c>--writers</c> concurrent writers. The rate counts
/// points whose write returned 204; the line protocol is encoded inside the timed loop, as a client would.
/// </summary>
internal static class InfluxLoader
{
    public static async Task<int> RunAsync(Options o)
    {
        var data = SensorDataSet.Create(o);
        var url = new Uri(o.String("url"));
        var db = o.String("db", "bench");
        var writers = o.Int("writers", 4);
        var batch = o.Int("batch", 5000);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = writers }) { BaseAddress = url, Timeout = TimeSpan.FromMinutes(5) };
        var prefixes = new byte[data.SeriesCount][];
        for (var d = 0; d < data.Devices; d++)
        {
            for (var t = 0; t < data.TagsPerDevice; t++)
                prefixes[SensorDataSet.Series(d, t, data.TagsPerDevice)] = Encoding.ASCII.GetBytes($"sensor,device={data.DeviceIds[d]},tag={data.TagNames[t]} value=");
        }

        var batches = (data.PointCount + batch - 1) / batch;
        long next = -1, written = 0, retries = 0;
        Report.Progress($"influx-load: {data.PointCount:N0} points, {data.SeriesCount} series, {writers} writers × {batch} points per request");
        var clock = Stopwatch.StartNew();
        using var progress = new Timer(_ => Report.Progress($"  {clock.Elapsed.TotalSeconds:F0} s: {Interlocked.Read(ref written):N0} points"), null, 5000, 5000);
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(WriterAsync)));
        var elapsed = clock.Elapsed.TotalSeconds;
        Report.Line(("system", "influxdb"), ("writers", writers), ("batch", batch), ("points", written), ("seconds", elapsed),
            ("points_per_s", written / elapsed), ("retries", retries));
        return 0;

        async Task WriterAsync()
        {
            var buffer = new ArrayBufferWriter<byte>(batch * 64);
            while (true)
            {
                var b = Interlocked.Increment(ref next);
                if (b >= batches)
                    return;
                buffer.ResetWrittenCount();
                var end = Math.Min(data.PointCount, (b + 1) * batch);
                for (var p = b * batch; p < end; p++)
                {
                    var second = (int)(p / data.SeriesCount);
                    var series = (int)(p % data.SeriesCount);
                    Append(buffer, prefixes[series]);
                    AppendFormatted(buffer, data.Value(series, second));
                    Append(buffer, " "u8);
                    AppendFormatted(buffer, data.Timestamp(second));
                    Append(buffer, "\n"u8);
                }
                for (var attempt = 0; ; attempt++)
                {
                    using var content = new ReadOnlyMemoryContent(buffer.WrittenMemory);
                    content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
                    using var response = await http.PostAsync(new Uri($"write?db={db}&precision=ms", UriKind.Relative), content);
                    if (response.IsSuccessStatusCode)
                        break;
                    var body = await response.Content.ReadAsStringAsync();
                    Interlocked.Increment(ref retries);
                    if (attempt == 0)
                        Report.Progress($"  write failed ({(int)response.StatusCode}): {body.Trim()}; retrying");
                    if (attempt > 50)
                        throw new InvalidOperationException($"InfluxDB refused batch {b}: {body}");
                    await Task.Delay(200);
                }
                Interlocked.Add(ref written, end - b * batch);
            }
        }
    }

    internal static void Append(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> bytes) => buffer.Write(bytes);

    internal static void AppendFormatted<T>(ArrayBufferWriter<byte> buffer, T value) where T : IUtf8SpanFormattable
    {
        var span = buffer.GetSpan(32);
        if (!value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture))
            throw new InvalidOperationException("Number longer than 32 bytes.");
        buffer.Advance(written);
    }
}
