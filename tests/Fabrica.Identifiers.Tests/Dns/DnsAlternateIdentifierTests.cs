using Fabrica.Identifiers.Dns;
using Fabrica.Identifiers.Model;

namespace Fabrica.Identifiers.Tests.Dns;

/// <summary>Which GTINs and OIDs of a handle record get ONS/ORS names: ALT_ID values of any recognised scheme, GTIN/OID values, a Digital Link suffix; never restricted values.</summary>
public sealed class DnsAlternateIdentifierTests
{
    [Fact]
    public void Alternate_identifiers_of_every_scheme_reduce_to_their_GTIN_or_OID()
    {
        var record = HandleRecord.Create(HandleName.Parse("88.100.12/PUMP-7"),
        [
            HandleValue.Text(1, "ALT_ID", "urn:epc:id:sgtin:0614141.012345.62852"),
            HandleValue.Text(2, "ALT_ID", "https://id.gs1.org/01/09506000134352/21/X1"),
            HandleValue.Text(3, "ALT_ID", "urn:oid:1.3.6.1.4.1.99999.7"),
            HandleValue.Text(4, "GTIN", "4006381333931"),
            HandleValue.Text(5, "ALT_ID", "urn:oid:1.3.6.1.4.1.99999.8", ValuePermissions.Restricted),
            HandleValue.Text(6, "ALT_ID", "not an identifier"),
        ]);
        var found = DnsAlternateIdentifiers.Of(record).ToHashSet();
        Assert.Equal(
            new HashSet<AlternateIdentifier>
            {
                new(AlternateScheme.Gtin, "00614141123452"),
                new(AlternateScheme.Gtin, "09506000134352"),
                new(AlternateScheme.Oid, "1.3.6.1.4.1.99999.7"),
                new(AlternateScheme.Gtin, "4006381333931"),
            },
            found);
    }

    [Fact]
    public void A_record_named_by_a_Digital_Link_path_is_known_by_its_GTIN()
    {
        var record = HandleRecord.Create(HandleName.Parse("88.100.12/01/09506000134352/21/77"), [HandleValue.Text(1, "URL", "https://example.com/x")]);
        Assert.Equal(new AlternateIdentifier(AlternateScheme.Gtin, "09506000134352"), Assert.Single(DnsAlternateIdentifiers.Of(record)));
    }
}
