namespace Fabrica;

/// <summary>
/// Quality of a sample, in the three classes OPC UA and Sparkplug share
/// (OPC 10000-4 §7.39: the two top bits of a StatusCode). Good is the default and costs nothing to store.
/// </summary>
public enum Quality : byte
{
    Good = 0,
    Uncertain = 1,
    Bad = 2,
}
