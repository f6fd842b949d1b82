namespace Fabrica.Core.Tests;

public sealed class SampleValueTests
{
    [Fact]
    public void Doubles_keep_their_bit_pattern_including_nan_payloads_and_negative_zero()
    {
        var payloadNan = BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_1234);
        Assert.Equal(0x7FF8_0000_0000_1234, SampleValue.FromDouble(payloadNan).RawBits);
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), SampleValue.FromDouble(-0.0).RawBits);
        Assert.NotEqual(SampleValue.FromDouble(0.0), SampleValue.FromDouble(-0.0));
    }

    [Fact]
    public void Each_kind_converts_to_the_forms_it_has()
    {
        Assert.Equal(1.0, SampleValue.FromBool(true).AsDouble());
        Assert.Equal(42L, SampleValue.FromLong(42).AsLong());
        Assert.Equal("on", SampleValue.FromString("on").AsString());
        Assert.False(SampleValue.FromString("on").IsNumeric);
        Assert.Throws<InvalidOperationException>(() => SampleValue.FromString("on").AsDouble());
        Assert.Throws<InvalidOperationException>(() => SampleValue.FromDouble(1).AsString());
    }

    [Fact]
    public void Values_of_different_kinds_are_not_equal()
    {
        Assert.NotEqual(SampleValue.FromLong(1), SampleValue.FromBool(true));
        Assert.Equal(SampleValue.FromString("a"), SampleValue.FromString("a"));
    }
}
