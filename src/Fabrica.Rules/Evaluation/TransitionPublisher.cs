using Microsoft.Extensions.Logging;

namespace Fabrica.Rules;

/// <summary>Hands transitions and their actions to the host's sink; a failing sink is logged, never propagated into ingest.</summary>
internal sealed class TransitionPublisher(IRuleActionSink sink, ILogger logger)
{
    private long _sinkFailures;

    public long SinkFailures => Interlocked.Read(ref _sinkFailures);

    public void Publish(RuleInstance instance, RuleTransition transition, ReadOnlySpan<SampleValue> values)
    {
        try
        {
            sink.OnTransition(transition);
        }
        catch (Exception e)
        {
            Failed(transition, "transition", e);
        }
        if (transition.Reason != TransitionReason.Condition && transition.Kind == TransitionKind.Cleared)
        {
            // A rule taken out of service clears its alarm, but runs no other action: nothing happened on the plant.
            foreach (var action in instance.Rule.Actions)
            {
                if (action.Definition is AlarmAction)
                    Execute(new RuleActionRequest(transition, action.Definition));
            }
            return;
        }
        foreach (var action in instance.Rule.Actions)
        {
            if (!action.RunsOn(transition.Kind))
                continue;
            var request = action.Definition switch
            {
                WriteTagAction write => new RuleActionRequest(transition, write, write.Device ?? instance.Device, action.Value!.Evaluate(values)),
                SetTagAction set => new RuleActionRequest(transition, set, instance.Device, action.Value!.Evaluate(values)),
                _ => new RuleActionRequest(transition, action.Definition),
            };
            Execute(request);
        }
    }

    private void Execute(RuleActionRequest request)
    {
        try
        {
            sink.Execute(request);
        }
        catch (Exception e)
        {
            Failed(request.Transition, request.Action.GetType().Name, e);
        }
    }

    private void Failed(RuleTransition transition, string what, Exception e)
    {
        Interlocked.Increment(ref _sinkFailures);
        RuleEngineLog.SinkFailed(logger, transition.RuleId, transition.Device, what, e);
    }
}
