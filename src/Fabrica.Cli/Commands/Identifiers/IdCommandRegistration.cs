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
        // Part 2: identifiers of other schemes (GS1, EPC, OID, Ecode) and GS1 Digital Link links.
        id.AddCommand<IdLookupCommand>("lookup").WithDescription("Resolve an identifier of any scheme (GS1 Digital Link, EPC, SGTIN-96 hex, OID, Ecode, handle) to its record.");
        id.AddCommand<IdMapCommand>("map").WithDescription("Map a GS1 Company Prefix (gs1) or OID arc (oid) to one of the node's prefixes.");
        id.AddCommand<IdAliasCommand>("alias").WithDescription("Bind another identifier (EPC, Digital Link, OID, Ecode, …) to a handle.");
        id.AddBranch("link", link =>
        {
            link.SetDescription("Links of the GS1 Digital Link resolver.");
            link.AddCommand<IdLinkAddCommand>("add").WithDescription("Add a link (--type gs1:pip --href URL [--default]).");
            link.AddCommand<IdLinkListCommand>("list").WithDescription("List the links of an identifier.");
            link.AddCommand<IdLinkRemoveCommand>("remove").WithDescription("Remove the links of an identifier (--type to remove one type).");
        });
    }
}
