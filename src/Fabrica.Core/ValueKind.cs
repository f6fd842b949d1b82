namespace Fabrica;

/// <summary>The type of a sample's value. A series may change kind over time; each stored chunk holds one kind.</summary>
public enum ValueKind : byte
{
    Double = 1,
    Long = 2,
    Bool = 3,
    String = 4,
}
