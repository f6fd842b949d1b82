using CsCheck;
using Fabrica.Protocols.Sparkplug;

namespace Fabrica.Protocols.Tests.Sparkplug;

/// <summary>One example per Sparkplug datatype the codec supports, and generators for property tests.</summary>
internal static class SparkplugValues
{
    public static TheoryData<string, SparkplugValue> Examples() => new()
    {
        { "Int8 min", SparkplugValue.Int8(sbyte.MinValue) },
        { "Int8 -1", SparkplugValue.Int8(-1) },
        { "Int8 max", SparkplugValue.Int8(sbyte.MaxValue) },
        { "Int16 min", SparkplugValue.Int16(short.MinValue) },
        { "Int16 max", SparkplugValue.Int16(short.MaxValue) },
        { "Int32 min", SparkplugValue.Int32(int.MinValue) },
        { "Int32 max", SparkplugValue.Int32(int.MaxValue) },
        { "Int64 min", SparkplugValue.Int64(long.MinValue) },
        { "Int64 max", SparkplugValue.Int64(long.MaxValue) },
        { "UInt8 max", SparkplugValue.UInt8(byte.MaxValue) },
        { "UInt16 max", SparkplugValue.UInt16(ushort.MaxValue) },
        { "UInt32 max", SparkplugValue.UInt32(uint.MaxValue) },
        { "UInt64 max", SparkplugValue.UInt64(ulong.MaxValue) },
        { "Float", SparkplugValue.Float(3.14159f) },
        { "Float -0", SparkplugValue.Float(-0f) },
        { "Float NaN", SparkplugValue.Float(float.NaN) },
        { "Double", SparkplugValue.Double(-1234.5678e-9) },
        { "Double infinity", SparkplugValue.Double(double.PositiveInfinity) },
        { "Boolean true", SparkplugValue.Boolean(true) },
        { "Boolean false", SparkplugValue.Boolean(false) },
        { "String", SparkplugValue.String("Läuft – 运行") },
        { "String empty", SparkplugValue.String("") },
        { "DateTime", SparkplugValue.DateTime(1_700_000_000_123) },
        { "Text", SparkplugValue.Text("line 1\nline 2") },
        { "UUID", SparkplugValue.Uuid("5f0c5a3e-6a4b-4b8e-9d3c-0a1b2c3d4e5f") },
        { "Bytes", SparkplugValue.Bytes([0, 1, 2, 254, 255]) },
        { "File", SparkplugValue.Binary(SparkplugDataType.File, [0x25, 0x50, 0x44, 0x46]) },
        { "Int32Array", SparkplugValue.Binary(SparkplugDataType.Int32Array, [0x15, 0xCD, 0x5B, 0x07, 0xB1, 0x68, 0xDE, 0x3A]) },
        { "Null Double", SparkplugValue.Null(SparkplugDataType.Double) },
        { "Null String", SparkplugValue.Null(SparkplugDataType.String) },
    };

    public static readonly Gen<SparkplugValue> Value = Gen.OneOf(
        Gen.SByte.Select(SparkplugValue.Int8),
        Gen.Short.Select(SparkplugValue.Int16),
        Gen.Int.Select(SparkplugValue.Int32),
        Gen.Long.Select(SparkplugValue.Int64),
        Gen.Byte.Select(SparkplugValue.UInt8),
        Gen.UShort.Select(SparkplugValue.UInt16),
        Gen.UInt.Select(SparkplugValue.UInt32),
        Gen.ULong.Select(SparkplugValue.UInt64),
        Gen.Float.Select(SparkplugValue.Float),
        Gen.Double.Select(SparkplugValue.Double),
        Gen.Bool.Select(SparkplugValue.Boolean),
        Gen.String.Select(SparkplugValue.String),
        Gen.String.Select(SparkplugValue.Text),
        Gen.Long[0, long.MaxValue].Select(SparkplugValue.DateTime),
        Gen.Byte.Array[0, 40].Select(SparkplugValue.Bytes),
        Gen.Enum<SparkplugDataType>().Where(t => SparkplugDataTypes.IsDefined(t) && !SparkplugDataTypes.IsUnsupported(t)).Select(SparkplugValue.Null));

    public static readonly Gen<SparkplugMetric> Metric = Gen.Select(
        Gen.String[Gen.Char.AlphaNumeric, 1, 30].Null(), Gen.ULong.Nullable(), Gen.Long[0, long.MaxValue].Nullable(), Value,
        Gen.Bool, Gen.Bool, Gen.Enum<SparkplugQuality>().Nullable(),
        (name, alias, timestamp, value, historical, transient, quality) => new SparkplugMetric(name, alias, timestamp, value)
        {
            IsHistorical = historical,
            IsTransient = transient,
            Quality = quality,
        });

    public static readonly Gen<SparkplugPayload> Payload = Gen.Select(
        Gen.Long[0, long.MaxValue].Nullable(), Gen.Byte.Nullable(), Metric.Array[0, 20],
        (timestamp, seq, metrics) => new SparkplugPayload(timestamp, seq, metrics));

    /// <summary>Payload equality for tests: records compare lists by reference.</summary>
    public static void AssertEqual(SparkplugPayload expected, SparkplugPayload actual)
    {
        Assert.Equal(expected.Timestamp, actual.Timestamp);
        Assert.Equal(expected.Seq, actual.Seq);
        Assert.Equal(expected.Uuid, actual.Uuid);
        Assert.Equal(expected.Metrics.Count, actual.Metrics.Count);
        for (var i = 0; i < expected.Metrics.Count; i++)
            Assert.Equal(expected.Metrics[i], actual.Metrics[i]);
    }
}
