namespace Fabrica;

/// <summary>
/// Identity of a series: a device and one of its tags (e.g. <c>press-7</c> / <c>temperature</c>).
/// Both parts are validated by <see cref="NamingRules"/>; the storage engine treats them as opaque strings.
/// </summary>
public readonly record struct SeriesKey(string Device, string Tag)
{
    public override string ToString() => $"{Device}/{Tag}";
}
