using System.Globalization;
using System.Text.Json;
using Fabrica.Protocols.Sparkplug;

namespace Fabrica.Protocols.Tests.Sparkplug.Interop;

/// <summary>
/// Sparkplug B both ways against npm sparkplug-payload (Eclipse Tahu's JavaScript codec, nobody here wrote it):
/// what we encode decodes there with equal values, and what it encodes decodes here with equal values.
/// </summary>
public sealed class SparkplugPayloadInteropTests
{
    [Fact]
    public async Task Payloads_we_encode_decode_in_sparkplug_payload_with_equal_values()
    {
        // sparkplug-payload knows datatypes 1–21; the packed arrays (22–34) came with Sparkplug 3.0.
        var examples = SparkplugValues.Examples().Select(row => ((string)row[0], (SparkplugValue)row[1]))
            .Where(e => e.Item2.DataType < SparkplugDataType.Int8Array).ToList();
        var payloads = examples.Select((e, i) => new SparkplugPayload(1_700_000_000_000 + i, (byte)i,
            [new SparkplugMetric(e.Item1, (ulong)(100 + i), 1_600_000_000_000 + i, e.Item2)])).ToList();

        var decoded = await SparkplugPeer.DecodeAsync(payloads.Select(SparkplugPayloadCodec.Encode));

        for (var i = 0; i < examples.Count; i++)
        {
            var (label, value) = examples[i];
            var theirs = decoded[i];
            Assert.Equal((1_700_000_000_000 + i).ToString(CultureInfo.InvariantCulture), Text(theirs.GetProperty("timestamp")));
            Assert.Equal(i.ToString(CultureInfo.InvariantCulture), Text(theirs.GetProperty("seq")));
            var metric = theirs.GetProperty("metrics")[0];
            Assert.Equal(label, metric.GetProperty("name").GetString());
            Assert.Equal((100 + i).ToString(CultureInfo.InvariantCulture), Text(metric.GetProperty("alias")));
            Assert.Equal((1_600_000_000_000 + i).ToString(CultureInfo.InvariantCulture), Text(metric.GetProperty("timestamp")));
            Assert.Equal(value.DataType.ToString(), metric.GetProperty("type").GetString(), ignoreCase: true);
            Assert.True(Canonical(value) == Canonical(metric.GetProperty("value"), value.DataType), $"{label}: ours {Canonical(value)}, theirs {metric.GetProperty("value")}");
        }
    }

    [Fact]
    public async Task Births_data_and_death_of_our_edge_node_decode_in_sparkplug_payload_with_bdseq_seq_and_aliases()
    {
        var edge = new SparkplugEdgeNode("Plant1", "Edge1", initialBdSeq: 41);
        edge.DefineNodeMetric("Temperature", SparkplugValue.Double(21.5));
        edge.DefineDevice("Press7", new Dictionary<string, SparkplugValue> { ["Speed"] = SparkplugValue.Int32(-5) });
        var will = edge.CreateWill();
        var births = edge.CreateBirths();
        var data = edge.DeviceData("Press7", [new SparkplugMetricUpdate("Speed", SparkplugValue.Int32(1200))]);

        var decoded = await SparkplugPeer.DecodeAsync([will.Payload, births[0].Payload, births[1].Payload, data.Payload]);

        var death = decoded[0];
        Assert.False(death.TryGetProperty("seq", out _));
        var bdSeq = death.GetProperty("metrics")[0];
        Assert.Equal(("bdSeq", "Int64", "41"), (bdSeq.GetProperty("name").GetString(), bdSeq.GetProperty("type").GetString(), Text(bdSeq.GetProperty("value"))));
        var nbirth = decoded[1];
        Assert.Equal("0", Text(nbirth.GetProperty("seq")));
        var metrics = nbirth.GetProperty("metrics").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!);
        Assert.Equal("41", Text(metrics["bdSeq"].GetProperty("value")));
        Assert.False(metrics["Node Control/Rebirth"].GetProperty("value").GetBoolean());
        Assert.Equal(21.5, metrics["Temperature"].GetProperty("value").GetDouble());
        Assert.Equal("1", Text(metrics["Temperature"].GetProperty("alias")));
        Assert.Equal("1", Text(decoded[2].GetProperty("seq")));
        Assert.Equal(-5, decoded[2].GetProperty("metrics")[0].GetProperty("value").GetInt32());
        var ddata = decoded[3];
        Assert.Equal("2", Text(ddata.GetProperty("seq")));
        Assert.False(ddata.GetProperty("metrics")[0].TryGetProperty("name", out _));
        Assert.Equal("2", Text(ddata.GetProperty("metrics")[0].GetProperty("alias")));
        Assert.Equal(1200, ddata.GetProperty("metrics")[0].GetProperty("value").GetInt32());
    }

    [Fact]
    public async Task Payloads_sparkplug_payload_encodes_decode_here_with_equal_values()
    {
        (string Type, string Json, SparkplugValue Expected)[] cases =
        [
            ("Int8", "-128", SparkplugValue.Int8(-128)),
            ("Int16", "-30000", SparkplugValue.Int16(-30000)),
            ("Int32", "-2147483648", SparkplugValue.Int32(int.MinValue)),
            ("Int64", "\"-9223372036854775808\"", SparkplugValue.Int64(long.MinValue)),
            ("UInt8", "255", SparkplugValue.UInt8(255)),
            ("UInt16", "65535", SparkplugValue.UInt16(65535)),
            ("UInt32", "\"4294967295\"", SparkplugValue.UInt32(uint.MaxValue)),
            ("UInt64", "\"18446744073709551615\"", SparkplugValue.UInt64(ulong.MaxValue)),
            ("Float", "1.5", SparkplugValue.Float(1.5f)),
            ("Double", "3.141592653589793", SparkplugValue.Double(Math.PI)),
            ("Boolean", "true", SparkplugValue.Boolean(true)),
            ("String", "\"Läuft – 运行\"", SparkplugValue.String("Läuft – 运行")),
            ("DateTime", "\"1700000000123\"", SparkplugValue.DateTime(1_700_000_000_123)),
            ("Text", "\"a\\nb\"", SparkplugValue.Text("a\nb")),
            ("UUID", "\"5f0c5a3e-6a4b-4b8e-9d3c-0a1b2c3d4e5f\"", SparkplugValue.Uuid("5f0c5a3e-6a4b-4b8e-9d3c-0a1b2c3d4e5f")),
            ("Bytes", "{\"$bytes\":\"AAEC/w==\"}", SparkplugValue.Bytes([0, 1, 2, 255])),
            ("File", "{\"$bytes\":\"JVBERg==\"}", SparkplugValue.Binary(SparkplugDataType.File, [0x25, 0x50, 0x44, 0x46])),
            ("Double", "null", SparkplugValue.Null(SparkplugDataType.Double)),
        ];
        var json = cases.Select((c, i) =>
            $"{{\"timestamp\":\"{1_700_000_000_000 + i}\",\"seq\":{i},\"metrics\":[{{\"name\":\"m{i}\",\"alias\":\"{7 + i}\",\"timestamp\":\"{1_600_000_000_000 + i}\",\"type\":\"{c.Type}\",\"value\":{c.Json}}}]}}");

        var encoded = await SparkplugPeer.EncodeAsync(json);

        for (var i = 0; i < cases.Length; i++)
        {
            var payload = SparkplugPayloadCodec.Decode(encoded[i]);
            Assert.Equal(1_700_000_000_000 + i, payload.Timestamp);
            Assert.Equal((byte)i, payload.Seq);
            Assert.Equal(new SparkplugMetric($"m{i}", (ulong)(7 + i), 1_600_000_000_000 + i, cases[i].Expected), Assert.Single(payload.Metrics));
        }
    }

    [Fact]
    public async Task Births_data_and_death_encoded_by_sparkplug_payload_drive_our_host_application()
    {
        // The shapes sparkplug-client publishes: bdSeq as UInt64, aliases in births, DATA by alias with datatype.
        var encoded = await SparkplugPeer.EncodeAsync(
        [
            """{"timestamp":"1700000000000","seq":0,"metrics":[{"name":"Node Control/Rebirth","type":"Boolean","value":false},{"name":"Temperature","alias":"1","type":"Double","value":21.5,"timestamp":"1700000000000"},{"name":"bdSeq","type":"UInt64","value":"3"}]}""",
            """{"timestamp":"1700000000001","seq":1,"metrics":[{"name":"Inputs/Speed","alias":"10","type":"Int32","value":-7,"timestamp":"1700000000001"}]}""",
            """{"timestamp":"1700000000002","seq":2,"metrics":[{"alias":"10","type":"Int32","value":1500,"timestamp":"1700000000002"}]}""",
            """{"timestamp":"1700000000003","metrics":[{"name":"bdSeq","type":"UInt64","value":"3"}]}""",
        ]);
        var host = new SparkplugHostApplication();

        var nbirth = host.Receive("spBv1.0/Plant1/NBIRTH/Edge1", encoded[0]);
        var dbirth = host.Receive("spBv1.0/Plant1/DBIRTH/Edge1/Press7", encoded[1]);
        var ddata = host.Receive("spBv1.0/Plant1/DDATA/Edge1/Press7", encoded[2]);
        var ndeath = host.Receive("spBv1.0/Plant1/NDEATH/Edge1", encoded[3]);

        Assert.Equal(new SeriesSample(new SeriesKey("Plant1.Edge1", "Temperature"), new Sample(1_700_000_000_000, 21.5)), Assert.Single(nbirth.Samples));
        Assert.Equal(new SeriesSample(new SeriesKey("Plant1.Edge1.Press7", "Inputs.Speed"), new Sample(1_700_000_000_001, -7L)), Assert.Single(dbirth.Samples));
        Assert.Equal(new SeriesSample(new SeriesKey("Plant1.Edge1.Press7", "Inputs.Speed"), new Sample(1_700_000_000_002, 1500L)), Assert.Single(ddata.Samples));
        Assert.Null(ddata.RebirthRequest);
        Assert.Equal([SparkplugHostEventKind.DeviceOffline, SparkplugHostEventKind.EdgeNodeOffline], ndeath.Events.Select(e => e.Kind));
        Assert.Equal(0, host.Statistics.SequenceGaps);
    }

    private static string Text(JsonElement element) => element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();

    private static string Canonical(SparkplugValue value)
    {
        if (value.IsNull)
            return "null";
        return value.DataType switch
        {
            SparkplugDataType.Float => value.AsSingle().ToString("R", CultureInfo.InvariantCulture),
            SparkplugDataType.Double => value.AsDouble().ToString("R", CultureInfo.InvariantCulture),
            SparkplugDataType.Boolean => value.AsBoolean() ? "true" : "false",
            _ when SparkplugDataTypes.IsUnsignedInteger(value.DataType) => value.AsUInt64().ToString(CultureInfo.InvariantCulture),
            _ when SparkplugDataTypes.IsSignedInteger(value.DataType) || value.DataType == SparkplugDataType.DateTime => value.AsInt64().ToString(CultureInfo.InvariantCulture),
            _ when SparkplugDataTypes.IsText(value.DataType) => value.AsString(),
            _ => Convert.ToBase64String(value.AsBytes().Span),
        };
    }

    private static string Canonical(JsonElement value, SparkplugDataType type)
    {
        if (value.ValueKind == JsonValueKind.Null)
            return "null";
        if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("$bytes", out var bytes))
            return bytes.GetString()!;
        double Number() => value.ValueKind == JsonValueKind.Object ? double.Parse(value.GetProperty("$number").GetString()!, CultureInfo.InvariantCulture) : value.GetDouble();
        return type switch
        {
            SparkplugDataType.Float => ((float)Number()).ToString("R", CultureInfo.InvariantCulture),
            SparkplugDataType.Double => Number().ToString("R", CultureInfo.InvariantCulture),
            SparkplugDataType.Boolean => value.GetBoolean() ? "true" : "false",
            _ => Text(value),
        };
    }
}
