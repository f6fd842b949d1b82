namespace Fabrica.Identifiers.Model;

/// <summary>A handle and its values in the order they were given (as Handle.Net keeps and returns them). Immutable: a change produces a new record.</summary>
public sealed record HandleRecord(HandleName Handle, IReadOnlyList<HandleValue> Values)
{
    /// <summary>RFC 3652 / Handle.Net limit on values per handle (<c>Common.MAX_HANDLE_VALUES</c>).</summary>
    public const int MaxValues = 2048;

    public HandleValue? this[int index] => Values.FirstOrDefault(v => v.Index == index);

    public IEnumerable<HandleValue> OfType(string type) => Values.Where(v => HandleTypes.Matches(type, v.Type));

    /// <summary>Values chosen by index or type (RFC 3652 §3.2.1: a value matching either list is returned; both empty = all).</summary>
    public IEnumerable<HandleValue> Select(IReadOnlyCollection<int> indexes, IReadOnlyCollection<string> types) =>
        indexes.Count == 0 && types.Count == 0
            ? Values
            : Values.Where(v => indexes.Contains(v.Index) || types.Any(t => HandleTypes.Matches(t, v.Type)));

    public static HandleRecord Create(HandleName handle, IEnumerable<HandleValue> values) =>
        new(handle, values.ToList());
}
