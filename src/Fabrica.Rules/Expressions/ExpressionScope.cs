namespace Fabrica.Rules;

/// <summary>
/// Maps tag names to value slots while an expression is parsed. An open scope gives every new name the next slot
/// (a stand-alone expression); a closed one knows only the tags of a rule's scope, so that a typo is an error.
/// </summary>
internal sealed class ExpressionScope
{
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    private readonly List<string> _tags = [];
    private readonly bool _open;

    private ExpressionScope(bool open) => _open = open;

    public static ExpressionScope Open() => new(open: true);

    public static ExpressionScope Closed(IEnumerable<string> tags)
    {
        var scope = new ExpressionScope(open: false);
        foreach (var tag in tags)
            scope.Add(tag);
        return scope;
    }

    public IReadOnlyList<string> Tags => _tags;

    public bool TryResolve(string tag, out int slot)
    {
        if (_slots.TryGetValue(tag, out slot))
            return true;
        if (!_open)
            return false;
        slot = Add(tag);
        return true;
    }

    private int Add(string tag)
    {
        if (_slots.TryGetValue(tag, out var existing))
            return existing;
        _slots.Add(tag, _tags.Count);
        _tags.Add(tag);
        return _tags.Count - 1;
    }
}
