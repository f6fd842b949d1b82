using Fabrica.Edge.Adapters;
using Fabrica.Edge.Configuration;
using Fabrica.Edge.Pipeline;

namespace Fabrica.Edge.Tests.Pipeline;

public sealed class TagPipelineTests
{
    private static TagOptions Tag(double scale = 1, double offset = 0, DeadbandOptions? deadband = null, TimeSpan? maxInterval = null) =>
        new() { Name = "t", Address = "hr:1", Scale = scale, Offset = offset, Deadband = deadband, MaxInterval = maxInterval };

    /// <summary>Feeds raw values one second apart and returns the reported ones.</summary>
    private static List<Sample> Run(TagPipeline pipeline, params double[] raw)
    {
        var reported = new List<Sample>();
        for (var i = 0; i < raw.Length; i++)
        {
            var sample = pipeline.Condition(new TagReading(raw[i]), 1_000_000 + i * 1000L);
            if (pipeline.ShouldReport(sample))
                reported.Add(sample);
        }
        return reported;
    }

    [Fact]
    public void Scaling_applies_value_times_scale_plus_offset_to_numbers()
    {
        var pipeline = new TagPipeline(Tag(scale: 0.1, offset: -40));
        var sample = pipeline.Condition(new TagReading(SampleValue.FromLong(1234)), 5);
        Assert.Equal(ValueKind.Double, sample.Value.Kind);
        Assert.Equal(1234 * 0.1 - 40, sample.Value.AsDouble(), 12);
        Assert.Equal(5, sample.Timestamp);
    }

    [Fact]
    public void Unscaled_integers_stay_integers_and_booleans_and_strings_are_never_scaled()
    {
        Assert.Equal(SampleValue.FromLong(7), new TagPipeline(Tag()).Condition(new TagReading(SampleValue.FromLong(7)), 0).Value);
        Assert.Equal(SampleValue.FromBool(true), new TagPipeline(Tag(scale: 10)).Condition(new TagReading(true), 0).Value);
        Assert.Equal("RUN", new TagPipeline(Tag(scale: 10)).Condition(new TagReading("RUN"), 0).Value.AsString());
    }

    [Fact]
    public void The_device_timestamp_wins_over_the_time_of_the_read()
    {
        var sample = new TagPipeline(Tag()).Condition(new TagReading(1.0, Quality.Good, SourceTimestamp: 42), 1000);
        Assert.Equal(42, sample.Timestamp);
    }

    [Fact]
    public void Without_a_deadband_every_reading_is_reported()
    {
        Assert.Equal(4, Run(new TagPipeline(Tag()), 1, 1, 1, 1).Count);
    }

    [Fact]
    public void Absolute_deadband_reports_only_moves_beyond_it_from_the_last_reported_value()
    {
        var reported = Run(new TagPipeline(Tag(deadband: new DeadbandOptions { Absolute = 0.5 })), 10, 10.3, 10.5, 10.6, 10.2, 9.9, 9.0);
        Assert.Equal([10, 10.6, 9.9, 9.0], reported.Select(s => s.Value.AsDouble()));
    }

    [Fact]
    public void Percent_deadband_is_relative_to_the_last_reported_value()
    {
        var reported = Run(new TagPipeline(Tag(deadband: new DeadbandOptions { Percent = 10 })), 100, 109, 111, 121, 123);
        Assert.Equal([100.0, 111, 123], reported.Select(s => s.Value.AsDouble()));
    }

    [Fact]
    public void Deadband_applies_after_scaling()
    {
        var reported = Run(new TagPipeline(Tag(scale: 10, deadband: new DeadbandOptions { Absolute = 5 })), 1, 1.4, 1.6);
        Assert.Equal([10.0, 16], reported.Select(s => s.Value.AsDouble()));
    }

    [Fact]
    public void Heartbeat_reports_a_flat_value_at_the_max_interval()
    {
        var pipeline = new TagPipeline(Tag(deadband: new DeadbandOptions { Absolute = 1 }, maxInterval: TimeSpan.FromSeconds(5)));
        var reported = Run(pipeline, Enumerable.Repeat(20.0, 12).ToArray());
        Assert.Equal([1_000_000L, 1_005_000, 1_010_000], reported.Select(s => s.Timestamp));
    }

    [Fact]
    public void A_change_of_quality_is_always_reported_and_a_bad_reading_keeps_the_last_value()
    {
        var pipeline = new TagPipeline(Tag(deadband: new DeadbandOptions { Absolute = 100 }));
        Assert.True(pipeline.ShouldReport(pipeline.Condition(new TagReading(5.0), 1000)));
        var bad = pipeline.Condition(TagReading.Bad, 2000);
        Assert.Equal(new Sample(2000, 5.0, Quality.Bad), bad);
        Assert.True(pipeline.ShouldReport(bad));
        Assert.True(pipeline.ShouldReport(pipeline.Condition(new TagReading(5.0), 3000)));
    }

    [Fact]
    public void A_silent_device_is_reported_bad_once_and_then_at_the_heartbeat()
    {
        var pipeline = new TagPipeline(Tag());
        var reports = 0;
        for (var i = 0; i < 100; i++)
        {
            if (pipeline.ShouldReport(pipeline.Condition(TagReading.Bad, i * 1000L)))
                reports++;
        }
        Assert.Equal(2, reports); // at 0 s and at the 60 s heartbeat
    }

    [Fact]
    public void Not_a_number_becomes_a_bad_sample_the_platform_can_store()
    {
        var sample = new TagPipeline(Tag()).Condition(new TagReading(double.NaN), 0);
        Assert.Equal(Quality.Bad, sample.Quality);
        Assert.True(double.IsFinite(sample.Value.AsDouble()));
    }
}
