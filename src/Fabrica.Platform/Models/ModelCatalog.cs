using Fabrica.Platform.Models.Storage;
using Fabrica.Security;
using Fabrica.Security.Audit;

namespace Fabrica.Platform.Models;

/// <summary>
/// The plant model in force and every change to it. A change is validated on a candidate <see cref="PlantModel"/>,
/// stored, then swapped in and announced (<see cref="Changed"/>) and audited; an invalid change throws with
/// every problem and leaves model, database and runtime untouched. Changes are serialised; reads take the current
/// snapshot without locking. One instance per host.
/// </summary>
public sealed class ModelCatalog(ModelStore store, IAuditLog audit)
{
    private readonly SemaphoreSlim _writer = new(1, 1);
    private PlantModel _current = PlantModel.Empty;

    /// <summary>The model now. Immutable: hold on to it for a consistent view.</summary>
    public PlantModel Current => Volatile.Read(ref _current);

    /// <summary>Raised after each change, on the changing thread, with the new model (twins and rules follow it).</summary>
    public event Action<PlantModel>? Changed;

    /// <summary>Loads the stored model. Call once at start, after <see cref="ModelStore.MigrateAsync"/>.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        var document = await store.LoadModelAsync(cancellationToken).ConfigureAwait(false);
        var model = ModelValidator.Build(document.AssetTypes ?? [], document.Assets ?? [], document.Rules ?? []);
        Volatile.Write(ref _current, model);
        Changed?.Invoke(model);
    }

    /// <summary>Creates or replaces an asset type; true when it was created.</summary>
    public Task<bool> PutTypeAsync(AssetType type, Caller caller, CancellationToken cancellationToken = default) =>
        ChangeAsync(caller, "asset-type.put", "asset-type:" + type.Id, m =>
        {
            var created = !m.Types.ContainsKey(type.Id);
            return (m.With(types: Replace(m.TypeList, type, t => t.Id)), created);
        }, cancellationToken);

    public Task<bool> DeleteTypeAsync(string id, Caller caller, CancellationToken cancellationToken = default) =>
        ChangeAsync(caller, "asset-type.delete", "asset-type:" + id, m =>
        {
            if (!m.Types.ContainsKey(id))
                return (m, false);
            var users = m.AssetList.Where(a => a.Type == id).Select(a => m.PathOf(a.Id)).Take(5).ToList();
            if (users.Count > 0)
                throw new ModelConflictException($"Asset type '{id}' is used by {string.Join(", ", users.Select(p => $"'{p}'"))}; delete or retype those assets first.");
            var rules = m.RuleList.Where(r => r.AssetType == id).Select(r => r.Id).ToList();
            if (rules.Count > 0)
                throw new ModelConflictException($"Asset type '{id}' has rules {string.Join(", ", rules.Select(r => $"'{r}'"))}; delete them first.");
            return (m.With(types: [.. m.TypeList.Where(t => t.Id != id)]), true);
        }, cancellationToken);

    /// <summary>Creates or replaces an asset (moving it moves its subtree); true when it was created.</summary>
    public Task<bool> PutAssetAsync(Asset asset, Caller caller, CancellationToken cancellationToken = default) =>
        ChangeAsync(caller, "asset.put", "asset:" + asset.Id, m =>
        {
            var created = !m.Assets.ContainsKey(asset.Id);
            return (m.With(assets: Replace(m.AssetList, asset, a => a.Id)), created);
        }, cancellationToken);

    public Task<bool> DeleteAssetAsync(string id, Caller caller, CancellationToken cancellationToken = default) =>
        ChangeAsync(caller, "asset.delete", "asset:" + id, m =>
        {
            if (!m.Assets.ContainsKey(id))
                return (m, false);
            if (m.ChildrenOf(id) is { Count: > 0 } children)
                throw new ModelConflictException($"Asset '{m.PathOf(id)}' has {children.Count} child asset(s), e.g. '{m.PathOf(children[0])}'; delete or move them first.");
            var rules = m.RuleList.Where(r => r.Asset == id).Select(r => r.Id).ToList();
            if (rules.Count > 0)
                throw new ModelConflictException($"Asset '{m.PathOf(id)}' has rules {string.Join(", ", rules.Select(r => $"'{r}'"))}; delete them first.");
            return (m.With(assets: [.. m.AssetList.Where(a => a.Id != id)]), true);
        }, cancellationToken);

    /// <summary>Creates or replaces a rule; true when it was created. A changed rule starts afresh (docs/rules.md).</summary>
    public Task<bool> PutRuleAsync(AssetRule rule, Caller caller, CancellationToken cancellationToken = default) =>
        ChangeAsync(caller, "rule.put", "rule:" + rule.Id, m =>
        {
            var created = !m.Rules.ContainsKey(rule.Id);
            return (m.With(rules: Replace(m.RuleList, rule, r => r.Id)), created);
        }, cancellationToken);

    public Task<bool> DeleteRuleAsync(string id, Caller caller, CancellationToken cancellationToken = default) =>
        ChangeAsync(caller, "rule.delete", "rule:" + id, m =>
            m.Rules.ContainsKey(id) ? (m.With(rules: [.. m.RuleList.Where(r => r.Id != id)]), true) : (m, false),
            cancellationToken);

    /// <summary>Enables or disables a rule; false when there is no such rule. Disabling clears its active alarms.</summary>
    public Task<bool> SetRuleEnabledAsync(string id, bool enabled, Caller caller, CancellationToken cancellationToken = default) =>
        ChangeAsync(caller, enabled ? "rule.enable" : "rule.disable", "rule:" + id, m =>
        {
            if (!m.Rules.TryGetValue(id, out var rule))
                return (m, false);
            if (rule.Definition.Enabled == enabled)
                return (m, true);
            var changed = rule with { Definition = rule.Definition with { Enabled = enabled } };
            return (m.With(rules: Replace(m.RuleList, changed, r => r.Id)), true);
        }, cancellationToken);

    /// <summary>Replaces the whole model with <paramref name="document"/>, or changes nothing when any part is invalid.</summary>
    public Task<bool> ImportAsync(ModelDocument document, Caller caller, CancellationToken cancellationToken = default) =>
        ChangeAsync(caller, "model.import", "model", m =>
        {
            if (document.Version != ModelDocument.CurrentVersion)
                throw new ModelValidationException("version", $"is {document.Version}; this platform reads model documents of version {ModelDocument.CurrentVersion}");
            return (ModelValidator.Build(document.AssetTypes ?? [], document.Assets ?? [], document.Rules ?? []), true);
        }, cancellationToken, detail: $"{document.AssetTypes?.Count ?? 0} types, {document.Assets?.Count ?? 0} assets, {document.Rules?.Count ?? 0} rules");

    private async Task<bool> ChangeAsync(Caller caller, string action, string target, Func<PlantModel, (PlantModel Next, bool Result)> change,
        CancellationToken cancellationToken, string? detail = null)
    {
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var before = _current;
            PlantModel next;
            bool result;
            try
            {
                (next, result) = change(before);
            }
            catch (Exception e) when (e is ModelValidationException or ModelConflictException)
            {
                await audit.AppendAsync(new AuditEvent(caller.Actor, action, target, caller.Source, AuditOutcome.Denied, Shorten(e.Message)), cancellationToken).ConfigureAwait(false);
                throw;
            }
            if (ReferenceEquals(next, before))
                return result;
            await store.SaveModelAsync(before, next, cancellationToken).ConfigureAwait(false);
            // Stored: the model in force follows the database at once, even if the audit entry then fails (and reports it).
            Volatile.Write(ref _current, next);
            Changed?.Invoke(next);
            await audit.AppendAsync(new AuditEvent(caller.Actor, action, target, caller.Source, AuditOutcome.Success, detail), CancellationToken.None).ConfigureAwait(false);
            return result;
        }
        finally
        {
            _writer.Release();
        }
    }

    private static List<T> Replace<T>(IReadOnlyList<T> items, T item, Func<T, string> id)
    {
        var list = items.ToList();
        var index = list.FindIndex(i => id(i) == id(item));
        if (index >= 0)
            list[index] = item;
        else
            list.Add(item);
        return list;
    }

    private static string Shorten(string text) => text.Length <= 500 ? text : text[..500] + "…";
}

/// <summary>The change conflicts with what depends on the thing changed (an asset type in use, an asset with children).</summary>
public sealed class ModelConflictException : Exception
{
    public ModelConflictException(string message)
        : base(message)
    {
    }

    public ModelConflictException()
    {
    }

    public ModelConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
