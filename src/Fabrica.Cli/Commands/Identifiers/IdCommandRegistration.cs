using Spectre.Console.Cli;

namespace Fabrica.Cli.Commands.Identifiers;

/// <summary>The <c>fabrica id</c> branch: client commands of a node's Handle REST API.</summary>
internal static class IdCommandRegistration
{
    public static void Register(IConfigurator<CommandSettings> id)
    {
        id.SetDescription("Register, resolve, delete, list and import identifiers on a node (Handle REST API).");
        id.AddCommand<IdRegisterCommand>("register").WithDescription("Create or replace an identifier with its values.");
        id.AddCommand<IdResolveCommand>("resolve").WithDescription("Resolve an identifier (through the hierarchy if the node does not serve it).");
        id.AddCommand<IdDeleteCommand>("delete").WithDescription("Delete an identifier, or some of its values.");
        id.AddCommand<IdListCommand>("list").WithDescription("List the identifiers under a prefix.");
        id.AddCommand<IdDelegateCommand>("delegate").WithDescription("Delegate a prefix to the child node that serves it (copies its HS_SITE and HS_PUBKEY).");
        id.AddCommand<IdImportCommand>("import").WithDescription("Register the identifiers of a CSV file, with progress.");
    }
}
