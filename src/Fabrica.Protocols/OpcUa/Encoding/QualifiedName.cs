namespace Fabrica.Protocols.OpcUa;

/// <summary>A name qualified by a namespace index (OPC 10000-6 §5.2.2.13): UInt16 index, then a String.</summary>
public readonly record struct QualifiedName(ushort NamespaceIndex, string? Name)
{
    public QualifiedName(string name)
        : this(0, name)
    {
    }

    public override string ToString() => NamespaceIndex == 0 ? Name ?? "" : $"{NamespaceIndex}:{Name}";
}

/// <summary>
/// Text with an optional locale (OPC 10000-6 §5.2.2.14): an encoding mask (0x01 locale, 0x02 text), then
/// the fields present.
/// </summary>
public sealed record LocalizedText(string? Locale, string? Text)
{
    public static LocalizedText Null { get; } = new(null, null);

    public LocalizedText(string? text)
        : this(null, text)
    {
    }

    public override string ToString() => Text ?? "";
}
