using CsCheck;
using Fabrica.Platform.Alarms;

namespace Fabrica.Platform.Tests.Alarms;

public sealed class AlarmStateMachineTests
{
    private enum Op { Raise, Clear, Ack }

    [Fact]
    public void The_states_follow_the_isa_18_2_diagram()
    {
        Assert.Equal(AlarmState.ActiveUnacknowledged, AlarmStateMachine.Raise(AlarmState.Normal));
        Assert.True(AlarmStateMachine.TryAcknowledge(AlarmState.ActiveUnacknowledged, out var acked));
        Assert.Equal(AlarmState.ActiveAcknowledged, acked);
        Assert.Equal(AlarmState.Normal, AlarmStateMachine.Clear(acked));
        Assert.Equal(AlarmState.ClearedUnacknowledged, AlarmStateMachine.Clear(AlarmState.ActiveUnacknowledged));
        Assert.True(AlarmStateMachine.TryAcknowledge(AlarmState.ClearedUnacknowledged, out var closed));
        Assert.Equal(AlarmState.Normal, closed);
        Assert.Equal(AlarmState.ActiveUnacknowledged, AlarmStateMachine.Raise(AlarmState.ClearedUnacknowledged));
        Assert.False(AlarmStateMachine.TryAcknowledge(AlarmState.ActiveAcknowledged, out _));
        Assert.False(AlarmStateMachine.TryAcknowledge(AlarmState.Normal, out _));
    }

    /// <summary>
    /// Model: an alarm is two bits, "condition active" and "acknowledged since the last raise". Any sequence of raises,
    /// clears and acknowledgements keeps the state machine equal to the model's reading of those bits.
    /// </summary>
    [Fact]
    public void Any_sequence_of_events_agrees_with_the_two_bit_model()
    {
        Gen.Enum<Op>().Array[0, 40].Sample(ops =>
        {
            var state = AlarmState.Normal;
            bool active = false, acked = true;
            foreach (var op in ops)
            {
                switch (op)
                {
                    case Op.Raise:
                        state = AlarmStateMachine.Raise(state);
                        if (!active)
                            acked = false;
                        active = true;
                        break;
                    case Op.Clear:
                        state = AlarmStateMachine.Clear(state);
                        active = false;
                        break;
                    case Op.Ack:
                        var changed = AlarmStateMachine.TryAcknowledge(state, out var next);
                        Assert.Equal(!acked, changed);
                        state = next;
                        acked = true;
                        break;
                }
                var expected = (active, acked) switch
                {
                    (false, true) => AlarmState.Normal,
                    (true, false) => AlarmState.ActiveUnacknowledged,
                    (true, true) => AlarmState.ActiveAcknowledged,
                    (false, false) => AlarmState.ClearedUnacknowledged,
                };
                Assert.Equal(expected, state);
            }
        });
    }
}
