using Fabrica.Fuzz;
using Fabrica.Protocols.Sparkplug;

namespace Fabrica.Protocols.Tests.Sparkplug;

/// <summary>
/// A seeded mutation loop over the payload decoder and the host application (CONVENTIONS.md: the CI budget
/// form of fuzzing, with the fuzz harness's <see cref="FuzzMutator"/>): whatever the bytes, only
/// <see cref="SparkplugProtocolException"/> escapes, and what is accepted re-encodes and decodes to the same payload.
/// </summary>
public sealed class SparkplugDecoderMutationTests
{
    [Fact]
    public void Mutated_payloads_raise_only_protocol_exceptions_and_accepted_ones_round_trip()
    {
        var mutator = new FuzzMutator(new Random(20240611));
        var seeds = Seeds().ToArray();
        var accepted = 0;
        var refused = 0;
        for (var i = 0; i < 30_000; i++)
        {
            var input = mutator.Next(seeds);
            SparkplugPayload payload;
            try
            {
                payload = SparkplugPayloadCodec.Decode(input);
            }
            catch (SparkplugProtocolException)
            {
                refused++;
                continue;
            }
            accepted++;
            SparkplugValues.AssertEqual(payload, SparkplugPayloadCodec.Decode(SparkplugPayloadCodec.Encode(payload)));
        }
        Assert.True(accepted > 1000 && refused > 1000, $"accepted {accepted}, refused {refused}");
    }

    [Fact]
    public void The_host_application_raises_only_protocol_exceptions_for_mutated_session_messages()
    {
        var random = new Random(7);
        var mutator = new FuzzMutator(random);
        var edge = new SparkplugEdgeNode("G", "E");
        edge.DefineNodeMetric("t", SparkplugValue.Double(1));
        edge.DefineDevice("D", new Dictionary<string, SparkplugValue> { ["a"] = SparkplugValue.Int16(1), ["b"] = SparkplugValue.String("x") });
        var will = edge.CreateWill();
        var messages = edge.CreateBirths().Append(will)
            .Concat(Enumerable.Range(0, 20).Select(i => edge.DeviceData("D", [new SparkplugMetricUpdate("a", SparkplugValue.Int16((short)i))])))
            .ToArray();
        var host = new SparkplugHostApplication();
        for (var i = 0; i < 20_000; i++)
        {
            var message = messages[random.Next(messages.Length)];
            var bytes = random.Next(4) == 0 ? message.Payload : mutator.Next([message.Payload]);
            try
            {
                host.Receive(message.TopicName, bytes);
            }
            catch (SparkplugProtocolException)
            {
            }
        }
        Assert.True(host.Statistics.Messages > 1000);
    }

    private static IEnumerable<byte[]> Seeds()
    {
        foreach (var row in SparkplugValues.Examples())
        {
            var value = (SparkplugValue)row[1];
            yield return SparkplugPayloadCodec.Encode(new SparkplugPayload(1_700_000_000_000, 5,
            [
                new SparkplugMetric("Inputs/Value", 3, 1_700_000_000_000, value) { Quality = SparkplugQuality.Stale },
                new SparkplugMetric(null, 4, null, SparkplugValue.Int64(-5)),
            ]));
        }
    }
}
