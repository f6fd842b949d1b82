using Fabrica.Platform.Analytics;
using Fabrica.Platform.Models;
using Fabrica.Platform.Tests.Models;
using Fabrica.Storage;

namespace Fabrica.Platform.Tests.Analytics;

/// <summary>
/// KPIs from stored series: simulated run-state and counter series are written to the real embedded engine, and the
/// calculator reads them back over the site's shift calendar, as <c>GET /api/v1/assets/{id}/kpis</c> does.
/// </summary>
public sealed class KpiCalculatorTests : IAsyncLifetime
{
    private const long Minute = 60_000;
    private const long ShiftStart = 1_799_906_400_000; // 2027-01-14T06:00:00Z, a day before the test bed's clock

    private ModelTestBed _bed = null!;
    private TimeSeriesEngine _storage = null!;

    public async Task InitializeAsync()
    {
        _bed = await ModelTestBed.StartAsync();
        _storage = await TimeSeriesEngine.OpenAsync(new StorageOptions { Directory = Path.Combine(_bed.Directory, "tsdb") }, time: _bed.Time);
    }

    public async Task DisposeAsync()
    {
        await _storage.DisposeAsync();
        await _bed.DisposeAsync();
    }

    private static AssetType Press(string idealCycleTime) => new("press", "Press",
        Tags: [new TagDefinition("running", Type: DataType.Boolean), new TagDefinition("parts"), new TagDefinition("rejects"), new TagDefinition("energy", "kWh")],
        Kpis: new KpiDefinition("running", "parts", "rejects", idealCycleTime, "energy"));

    private async Task<KpiCalculator> PlantAsync(string idealCycleTime, ShiftCalendar calendar)
    {
        var bindings = new Dictionary<string, TagBinding>
        {
            ["running"] = new("plc-1", "run"), ["parts"] = new("plc-1"), ["rejects"] = new("plc-1"), ["energy"] = new("plc-1", "kwh"),
        };
        await _bed.Catalog.ImportAsync(new ModelDocument(
            [Press(idealCycleTime)],
            [
                new Asset("plant", "Plant", AssetLevel.Site, Calendar: calendar),
                new Asset("line", "Line", AssetLevel.Line, Parent: "plant"),
                new Asset("press-1", "Press 1", AssetLevel.Equipment, Parent: "line", Type: "press", Bindings: bindings),
            ]), ModelTestBed.Engineer);
        return new KpiCalculator(_bed.Catalog, _storage, _bed.Alarms, _bed.Time);
    }

    /// <summary>Running from the shift start except in the given stops (minutes from the start), counters every minute.</summary>
    private async Task SimulateShiftAsync(int minutes, (int From, int To)[] stops, double total, double rejects, double kwhPerMinute)
    {
        var samples = new List<SeriesSample> { Sample("run", 0, true) };
        foreach (var (from, to) in stops)
        {
            samples.Add(Sample("run", from, false));
            samples.Add(Sample("run", to, true));
        }
        for (var m = 0; m <= minutes; m++)
        {
            // Counters start mid-count (a counter is cumulative since the machine was installed).
            samples.Add(Sample("parts", m, Math.Round(total * m / minutes) + 123_456));
            samples.Add(Sample("rejects", m, Math.Round(rejects * m / minutes) + 789));
            samples.Add(Sample("kwh", m, 10_000 + kwhPerMinute * m));
        }
        await _storage.WriteAsync(samples.OrderBy(s => s.Sample.Timestamp).ToArray());
    }

    private static (double, double, double, double) Percent(KpiFigures k) =>
        (Math.Round(k.Availability!.Value * 100, 2), Math.Round(k.Performance!.Value * 100, 2), Math.Round(k.Quality!.Value * 100, 2), Math.Round(k.Oee!.Value * 100, 2));

    private static SeriesSample Sample(string tag, int minute, SampleValue value) =>
        new(new SeriesKey("plc-1", tag), new Sample(ShiftStart + minute * Minute, value));

    /// <summary>
    /// oee.com, "OEE Calculation" (https://www.oee.com/calculating-oee/): a 480-minute shift with two 15-minute breaks
    /// and a 30-minute meal, 47 minutes down, ideal cycle time 1 s (60 parts/min), 19,271 parts of which 423 rejected
    /// → availability 88.81 %, performance 86.11 %, quality 97.80 %, OEE 74.79 %.
    /// </summary>
    [Fact]
    public async Task The_oee_com_worked_example_is_reproduced_from_stored_run_state_and_counter_series_over_a_shift_calendar()
    {
        var calendar = new ShiftCalendar("UTC", [new Shift("day", "06:00", "14:00", [new ShiftBreak("08:00", "08:15"), new ShiftBreak("10:00", "10:30", "meal"), new ShiftBreak("12:00", "12:15")])]);
        var kpis = await PlantAsync("1s", calendar);
        // The machine stops for the breaks and the meal, and breaks down twice: 30 and 17 minutes.
        await SimulateShiftAsync(480, [(50, 80), (120, 135), (240, 270), (300, 317), (360, 375)], 19_271, 423, 2.5);

        var shift = Assert.Single(await kpis.ComputeAsync("press-1", ShiftStart, ShiftStart + 480 * Minute, KpiGrouping.Shift));
        var line = Assert.Single(await kpis.ComputeAsync("line", ShiftStart, ShiftStart + 480 * Minute, KpiGrouping.Shift));
        var day = Assert.Single(await kpis.ComputeAsync("press-1", ShiftStart, ShiftStart + 1, KpiGrouping.Day));

        Assert.Equal(("day", "2027-01-14", true), (shift.Name, shift.Date, shift.Complete));
        Assert.Equal((420 * Minute, 373 * Minute, 47 * Minute), (shift.PlannedTime, shift.RunTime, shift.DownTime));
        Assert.Equal((19_271.0, 18_848.0), (shift.TotalCount, shift.GoodCount));
        Assert.Equal((88.81, 86.11, 97.80, 74.79), Percent(shift));
        Assert.Equal((2, 373 * Minute / 2, 47 * Minute / 2), (shift.Stops, shift.Mtbf, shift.Mttr));
        Assert.Equal(1_200.0, shift.Energy);
        Assert.Equal(1_200.0 / 18_848, shift.EnergyPerGoodPart!.Value, 12);
        // A line without KPI tags of its own combines its equipment; a day of one shift has the same figures.
        Assert.Equal((Percent(shift), 1), (Percent(line), line.Equipment));
        Assert.Equal((Percent(shift), 420 * Minute, "2027-01-14"), (Percent(day), day.PlannedTime, day.Name));
    }

    /// <summary>
    /// A second published example: waycalculator.com, "Overall Equipment Effectiveness (OEE) Calculator", Example 1
    /// (https://waycalculator.com/tool/Overall-Equipment-Effectiveness-OEE-Calculator.php): planned production time
    /// 480 min, run time 420 min, ideal cycle time 1 min, 400 parts of which 380 good → availability 87.5 %,
    /// performance 95.2 %, quality 95 %, OEE 79.1 % (the source multiplies its rounded factors: 0.875 × 0.952 × 0.95).
    /// Here from the default calendar's early shift (06:00–14:00 UTC, no breaks) and a 60-minute breakdown.
    /// </summary>
    [Fact]
    public async Task A_second_published_example_is_reproduced_on_the_default_three_shift_calendar()
    {
        var kpis = await PlantAsync("1m", ShiftCalendar.Default);
        await SimulateShiftAsync(480, [(200, 260)], 400, 20, 1);

        var shifts = await kpis.ComputeAsync("press-1", ShiftStart, ShiftStart + 480 * Minute, KpiGrouping.Shift);

        var early = Assert.Single(shifts);
        Assert.Equal(("early", 480 * Minute, 420 * Minute), (early.Name, early.PlannedTime, early.RunTime));
        Assert.Equal(87.5, Math.Round(early.Availability!.Value * 100, 1));
        Assert.Equal(95.2, Math.Round(early.Performance!.Value * 100, 1));
        Assert.Equal(95.0, Math.Round(early.Quality!.Value * 100, 1));
        Assert.InRange(early.Oee!.Value, 0.875 * 0.952 * 0.95 - 0.0005, 0.875 * 0.952 * 0.95 + 0.0005);
        Assert.Equal((1, 420 * Minute, 60 * Minute), (early.Stops, early.Mtbf, early.Mttr));
    }

    [Fact]
    public void The_default_calendar_has_three_eight_hour_shifts_and_a_day_in_a_time_zone_follows_its_wall_clock()
    {
        var shifts = ShiftPlan.Periods(ShiftCalendar.Default, ShiftStart, ShiftStart + 24 * 60 * Minute, KpiGrouping.Shift);
        var berlin = new ShiftCalendar("Europe/Berlin", [new Shift("early", "06:00", "14:00", [new ShiftBreak("09:00", "09:30")])]);
        // 2027-03-28 is the day Berlin moves from UTC+1 to UTC+2: 23 hours long.
        var dstDay = ShiftPlan.Periods(berlin, 1_806_235_200_000, 1_806_235_200_001, KpiGrouping.Day); // 2027-03-28T12:00Z

        Assert.Equal(["early", "late", "night"], shifts.Select(s => s.Name));
        Assert.All(shifts, s => Assert.Equal(480 * Minute, s.End - s.Start));
        var day = Assert.Single(dstDay);
        Assert.Equal(("2027-03-28", 23 * 60 * Minute), (day.Name, day.End - day.Start));
        Assert.Equal(30 * Minute + 15 * 60 * Minute, day.PlannedStops.Sum(s => s.Length)); // the break and the 15 h no shift covers
    }
}
