using Fabrica.Platform.Alarms;
using Fabrica.Rules;
using Fabrica.Server.WebConsole.Live;

namespace Fabrica.Server.Tests.WebConsole;

/// <summary>The alarm book announces a change before its open list has it; a page must show the announced state.</summary>
public sealed class OpenAlarmsTests
{
    private static Alarm Raised(string id, long changedAt, AlarmState state = AlarmState.ActiveUnacknowledged) =>
        new(id, "rule", "asset", "a/asset", "too hot", state, 1, RuleSeverity.Critical, 100, changedAt);

    [Fact]
    public void An_announced_alarm_shows_before_the_book_lists_it_and_leaves_when_it_returns_to_normal()
    {
        var view = new OpenAlarms();
        view.Apply(Raised("al1", 100));
        Assert.Equal("al1", Assert.Single(view.Merge([])).Id);

        view.Apply(Raised("al1", 200, AlarmState.Normal));
        Assert.Empty(view.Merge([Raised("al1", 100)])); // the book still lists it: the later announcement wins
    }

    [Fact]
    public void A_newer_state_in_the_book_wins_over_an_older_announcement()
    {
        var view = new OpenAlarms();
        view.Apply(Raised("al1", 100));
        var acknowledged = Raised("al1", 300, AlarmState.ActiveAcknowledged);
        Assert.Equal(AlarmState.ActiveAcknowledged, Assert.Single(view.Merge([acknowledged])).State);
    }
}
