namespace Fabrica.Server.WebConsole.Components.Shared;

/// <summary>What an operator does to an alarm from the console (ISA-18.2: acknowledge, shelve, unshelve).</summary>
public enum AlarmAction
{
    Acknowledge,
    Shelve,
    Unshelve,
}

/// <summary>The operator's comment, and for shelving how long.</summary>
public sealed record AlarmActionInput(string? Comment, TimeSpan ShelveFor);
