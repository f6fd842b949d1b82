using System.Text.Json;
using Fabrica.Edge.Configuration;
using Fabrica.Edge.Pipeline;
using Fabrica.Edge.Rules;

namespace Fabrica.Edge.Runtime;

/// <summary>
/// Edge rules in the runtime: built from the configuration file's <c>rules</c> at start, replaced without a restart
/// when the platform pushes a configuration on <c>fabrica/edges/{id}/config</c> (docs/edge.md, "Rules pushed from
/// the platform"). A pushed configuration is <c>{"version": "7", "rules": [ … ]}</c>; the status report's
/// <c>configVersion</c> is the version in force, and a configuration the edge refuses leaves the old rules running
/// and its reason in the status's <c>lastError</c> until a later one is applied. An applied configuration is kept in
/// the buffer directory (<see cref="PushedConfigFile"/>) and applied again at the next start, so that a restart while
/// the platform is unreachable does not fall back to the file's rules — the machines keep the control logic they had.
/// </summary>
public sealed partial class EdgeRuntime
{
    /// <summary>The last applied pushed configuration, in the buffer directory.</summary>
    public const string PushedConfigFile = "pushed-config.json";

    private volatile string? _configError;

    private string PushedConfigPath => Path.Combine(_options.Buffer.Directory, PushedConfigFile);

    /// <summary>The rules engine in force (after <see cref="StartAsync"/>).</summary>
    public IEdgeRules Rules => _rules;

    private IEdgeRules CreateRules()
    {
        var context = new EdgeRulesContext(_options, this, this)
        {
            Time = _time,
            LoggerFactory = _services.LoggerFactory,
            MeterFactory = _services.MeterFactory,
        };
        return (_services.Rules ?? EdgeRuleEngineFactory.Instance).Create(_options.Rules, context);
    }

    /// <summary>At start: the configuration pushed before the restart, if any, replaces the file's rules.</summary>
    private void ApplySavedPushedConfig()
    {
        byte[] saved;
        try
        {
            if (!File.Exists(PushedConfigPath))
                return;
            saved = File.ReadAllBytes(PushedConfigPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.PushedConfigNotSaved(_logger, PushedConfigPath, e.Message);
            return;
        }
        try
        {
            using var document = JsonDocument.Parse(saved);
            ApplyPushedConfig(document.RootElement, save: false);
        }
        catch (JsonException e)
        {
            Log.PushedConfigNotSaved(_logger, PushedConfigPath, e.Message);
        }
    }

    /// <summary>Keeps an applied configuration for the next start: written aside, fsynced, renamed over the old one.</summary>
    private void SavePushedConfig(JsonElement config)
    {
        var temporary = PushedConfigPath + ".tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                file.Write(System.Text.Encoding.UTF8.GetBytes(config.GetRawText()));
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, PushedConfigPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.PushedConfigNotSaved(_logger, PushedConfigPath, e.Message);
        }
    }

    /// <summary>Applies a configuration document from the platform; public so that a host can push one from elsewhere.</summary>
    /// <returns>Null when applied (or already in force), else why it was refused.</returns>
    public string? ApplyPushedConfig(JsonElement config) => ApplyPushedConfig(config, save: true);

    private string? ApplyPushedConfig(JsonElement config, bool save)
    {
        string? version = null;
        string? error = null;
        if (config.ValueKind != JsonValueKind.Object)
        {
            error = "the configuration is not a JSON object {\"version\": …, \"rules\": [ … ]}";
        }
        else
        {
            if (config.TryGetProperty("version", out var v))
                version = v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText();
            if (version is not null && version == _rules.Version && _configError is null)
                return null; // the retained configuration again, after a reconnect
            if (!config.TryGetProperty("rules", out var rules))
                error = "the configuration has no \"rules\" array";
            else
                error = TryReplace(rules, version);
        }
        if (error is null)
        {
            _configError = null;
            Log.ConfigApplied(_logger, version ?? "(none)");
            if (save)
                SavePushedConfig(config);
        }
        else
        {
            _configError = $"configuration version {version ?? "(none)"} refused, version {_rules.Version ?? "(file)"} stays in force: {error}";
            Log.ConfigRefused(_logger, version ?? "(none)", error);
        }
        _uplink?.NotifyStatusChanged();
        return error;
    }

    private string? TryReplace(JsonElement rules, string? version)
    {
        try
        {
            _rules.Replace(rules, version);
            return null;
        }
        catch (EdgeConfigException e)
        {
            return e.Errors.Count == 0 ? e.Message : string.Join("; ", e.Errors);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            // Whatever a malformed document provokes is a refusal with a reason, never a crash of the edge.
            return e.Message;
        }
    }

    private void OnConfigReceived(JsonElement config) => ApplyPushedConfig(config);

    bool IEdgeEvents.Publish(string topic, ReadOnlyMemory<byte> payload) => _uplink?.PublishEvent(topic, payload) ?? false;
}
