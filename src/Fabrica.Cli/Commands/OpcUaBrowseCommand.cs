using System.ComponentModel;
using System.Text;
using System.Text.Json;
using Fabrica.Protocols.OpcUa;
using Fabrica.Protocols.OpcUa.Services;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Fabrica.Cli.Commands;

internal sealed class OpcUaBrowseSettings : CommandSettings
{
    [CommandArgument(0, "<ENDPOINT>")]
    [Description("opc.tcp://host:port/path")]
    public string Endpoint { get; init; } = "";

    [CommandOption("--depth <N>")]
    [Description("Levels below the start node (default 4)")]
    public int Depth { get; init; } = 4;

    [CommandOption("--start <NODEID>")]
    [Description("Start node (default the Objects folder, i=85)")]
    public string? Start { get; init; }

    [CommandOption("--user <NAME>")]
    public string? User { get; init; }

    [CommandOption("--password <PASSWORD>")]
    [Description("Password of --user (default env FABRICA_OPCUA_PASSWORD)")]
    public string? Password { get; init; }

    [CommandOption("--by-path")]
    [Description("Tag addresses as browse paths from Objects (/1:Line2/1:Speed) instead of NodeIds")]
    public bool ByPath { get; init; }

    [CommandOption("--timeout <SECONDS>")]
    public int TimeoutSeconds { get; init; } = 30;

    public override ValidationResult Validate() =>
        !Endpoint.StartsWith("opc.tcp://", StringComparison.OrdinalIgnoreCase) ? ValidationResult.Error("the endpoint must be opc.tcp://host:port/path")
        : Depth is < 1 or > 32 ? ValidationResult.Error("--depth must be 1 to 32")
        : ByPath && Start is not null ? ValidationResult.Error("--by-path gives paths from the Objects folder: leave out --start")
        : ValidationResult.Success();
}

/// <summary>
/// <c>fabrica opcua browse opc.tcp://host:port/path</c>: the address space below a node as a tree (a Spectre tree on a
/// terminal, indented text otherwise), then an edge device fragment (docs/edge.md, adapter <c>opcua</c>) with one
/// tag per Variable: its NodeId as the address, its OPC UA data type, its browse path in the tag's settings.
/// </summary>
internal sealed class OpcUaBrowseCommand : AsyncCommand<OpcUaBrowseSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, OpcUaBrowseSettings settings, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        var options = new OpcUaClientOptions
        {
            SessionName = "fabrica opcua browse",
            UserName = settings.User,
            Password = settings.Password ?? Environment.GetEnvironmentVariable("FABRICA_OPCUA_PASSWORD"),
        };
        AddressSpaceNode root;
        try
        {
            await using var client = await OpcUaClient.ConnectAsync(settings.Endpoint, options, timeout.Token);
            var start = settings.Start is null ? WellKnownNodes.ObjectsFolder : NodeId.Parse(settings.Start);
            root = await client.BrowseTreeAsync(start, settings.Depth, timeout.Token);
        }
        catch (OpcUaServiceException e)
        {
            throw new CliException($"{settings.Endpoint}: {e.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"{settings.Endpoint}: no answer within {settings.TimeoutSeconds} s");
        }

        if (AnsiConsole.Profile.Capabilities.Interactive)
        {
            var tree = new Tree(Markup.Escape(root.DisplayName));
            AddTo(tree, root.Children);
            AnsiConsole.Write(tree);
        }
        else
        {
            var text = new StringBuilder().AppendLine(root.DisplayName);
            AppendPlain(text, root.Children, 1);
            Console.Write(text.ToString());
        }
        Console.WriteLine();
        Console.WriteLine("Edge config fragment (a device of \"devices\", docs/edge.md):");
        Console.WriteLine(EdgeFragment(settings.Endpoint, root, settings.ByPath));
        return 0;
    }

    private static void AddTo(IHasTreeNodes parent, IReadOnlyList<AddressSpaceNode> nodes)
    {
        foreach (var node in nodes)
        {
            AddTo(parent.AddNode(Markup.Escape(Describe(node))), node.Children);
        }
    }

    private static void AppendPlain(StringBuilder text, IReadOnlyList<AddressSpaceNode> nodes, int level)
    {
        foreach (var node in nodes)
        {
            text.Append(' ', level * 2).AppendLine(Describe(node));
            AppendPlain(text, node.Children, level + 1);
        }
    }

    private static string Describe(AddressSpaceNode node) => node.NodeClass == NodeClass.Variable
        ? $"{node.DisplayName}  [{node.NodeId}]  {DataTypeName(node.DataType)}"
        : $"{node.DisplayName}  [{node.NodeId}]  {node.NodeClass}";

    /// <summary>Built-in types (namespace 0, ids 1–25) by name; other data types by NodeId.</summary>
    private static string DataTypeName(NodeId? dataType) =>
        dataType is null ? "?"
        : dataType.Value is { NamespaceIndex: 0, IdType: NodeIdType.Numeric, NumericIdentifier: >= 1 and <= 25 } builtIn ? ((BuiltInType)builtIn.NumericIdentifier).ToString()
        : dataType.Value.ToString();

    /// <summary>
    /// One tag per Variable in the shape the <c>opcua</c> edge adapter reads (docs/edge.md): the address is the NodeId
    /// (or, <paramref name="byPath"/>, the browse path from Objects); dataType only for built-in scalar types, which
    /// the adapter encodes writes as (other types: the adapter reads the node's own).
    /// </summary>
    internal static string EdgeFragment(string endpoint, AddressSpaceNode root, bool byPath = false)
    {
        var tags = root.DescendantsAndSelf()
            .Where(n => n.NodeClass == NodeClass.Variable)
            .Select(n => new FragmentTag(
                // Tag names may not contain '/', '+' or '#' (docs/edge.md): the browse path joined with dots, namespaces dropped.
                string.Join('.', n.BrowsePath.Split('/').Select(part => part[(part.IndexOf(':', StringComparison.Ordinal) + 1)..])),
                byPath ? "/" + n.BrowsePath : n.NodeId.ToString(),
                Fabrica.Edge.Adapters.OpcUa.OpcUaDeviceAdapterFactory.IsScalarDataType(DataTypeName(n.DataType), out var type) ? type : null))
            .ToArray();
        var device = new
        {
            id = "opcua-device",
            adapter = "opcua",
            settings = new { endpoint, securityMode = "None" },
            tags,
        };
        return JsonSerializer.Serialize(device, FragmentJson);
    }

    private static readonly JsonSerializerOptions FragmentJson = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private sealed record FragmentTag(
        [property: System.Text.Json.Serialization.JsonPropertyName("name")] string Name,
        [property: System.Text.Json.Serialization.JsonPropertyName("address")] string Address,
        [property: System.Text.Json.Serialization.JsonPropertyName("dataType")] string? DataType);
}
