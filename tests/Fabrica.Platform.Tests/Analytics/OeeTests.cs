using Fabrica.Platform.Analytics;

namespace Fabrica.Platform.Tests.Analytics;

public sealed class OeeTests
{
    private const long Minute = 60_000;

    /// <summary>
    /// The worked example of oee.com ("OEE Calculation"): a 480-minute shift with two 15-minute breaks and a 30-minute
    /// meal, 47 minutes down, ideal rate 60 parts per minute, 19,271 parts of which 423 rejected: availability 88.81 %,
    /// performance 86.11 %, quality 97.80 %, OEE 74.79 %. Reproduced from simulated run-state and counter series.
    /// </summary>
    [Fact]
    public void The_oee_com_worked_example_is_reproduced_from_run_state_and_counter_series()
    {
        var start = 1_800_000_000_000L;
        var stops = new[]
        {
            new Interval(start + 120 * Minute, start + 135 * Minute),   // break
            new Interval(start + 240 * Minute, start + 270 * Minute),   // meal
            new Interval(start + 360 * Minute, start + 375 * Minute),   // break
        };
        var period = new OeePeriod(start, start + 480 * Minute, stops, TimeSpan.FromSeconds(1));
        // Running all shift except the breaks (the machine stops for them too), a 30-minute and a 17-minute breakdown.
        var runState = new List<Sample>
        {
            new(start, true),
            new(start + 50 * Minute, false), new(start + 80 * Minute, true),     // 30 min down
            new(start + 120 * Minute, false), new(start + 135 * Minute, true),   // break
            new(start + 240 * Minute, false), new(start + 270 * Minute, true),   // meal
            new(start + 300 * Minute, false), new(start + 317 * Minute, true),   // 17 min down
            new(start + 360 * Minute, false), new(start + 375 * Minute, true),   // break
        };
        // Counters report every minute; the reject counter was reset once mid-shift (a drop).
        var total = new List<Sample>();
        var rejects = new List<Sample>();
        for (var m = 0; m <= 480; m++)
        {
            total.Add(new Sample(start + m * Minute, (long)Math.Round(19_271.0 * m / 480) + 5_000));
            var r = (long)Math.Round(423.0 * m / 480);
            rejects.Add(new Sample(start + m * Minute, m < 200 ? r + 100 : r - (long)Math.Round(423.0 * 199 / 480)));
        }

        var oee = Oee.Compute(period, runState, total, rejects);

        Assert.Equal((420 * Minute, 373 * Minute, 47 * Minute), (oee.PlannedTime, oee.RunTime, oee.DownTime));
        Assert.Equal((19_271.0, 18_848.0), (oee.TotalCount, oee.GoodCount));
        Assert.Equal(88.81, Math.Round(oee.Availability * 100, 2));
        Assert.Equal(86.11, Math.Round(oee.Performance * 100, 2));
        Assert.Equal(97.80, Math.Round(oee.Quality * 100, 2));
        Assert.Equal(74.79, Math.Round(oee.Value * 100, 2));
    }

    [Fact]
    public void A_machine_that_never_ran_has_zero_oee_without_dividing_by_zero()
    {
        var period = new OeePeriod(0, 480 * Minute, [], TimeSpan.FromSeconds(1));

        var oee = Oee.Compute(period, [new Sample(0, false)], [], []);

        Assert.Equal((0.0, 0.0, 0.0, 0.0), (oee.Availability, oee.Performance, oee.Quality, oee.Value));
        Assert.Equal(480 * Minute, oee.DownTime);
    }
}
