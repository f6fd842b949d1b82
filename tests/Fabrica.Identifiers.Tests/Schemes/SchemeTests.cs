using Fabrica.Identifiers.Schemes;
using Fabrica.Identifiers.Schemes.Epc;

namespace Fabrica.Identifiers.Tests.Schemes;

/// <summary>Parsers, validators and formatters of the identifier schemes, on the examples their standards publish.</summary>
public sealed class SchemeTests
{
    [Theory]
    [InlineData("4006381333931")] // EAN-13 example of GS1 General Specifications-style check digit (Wikipedia "EAN-13")
    [InlineData("036000291452")] // UPC-A
    [InlineData("96385074")] // EAN-8
    [InlineData("09506000134352")] // GS1's own example GTIN (Digital Link standard)
    public void Published_GTINs_have_valid_check_digits_and_read_as_14_digits(string gtin)
    {
        Assert.True(Gs1Keys.TryParseGtin(gtin, out var gtin14, out var error), error);
        Assert.Equal(14, gtin14.Length);
        Assert.Equal(gtin, Gs1Keys.ShortestGtin(gtin14).PadLeft(gtin.Length, '0'));
        var wrong = gtin[..^1] + (char)('0' + ((gtin[^1] - '0' + 1) % 10));
        Assert.False(Gs1Keys.TryParseGtin(wrong, out _, out error));
        Assert.Contains("check digit", error);
    }

    [Fact]
    public void Keys_of_every_type_are_checked()
    {
        Assert.True(Gs1Keys.IsSscc("106141411234567897"));
        Assert.False(Gs1Keys.IsSscc("106141411234567898"));
        Assert.True(Gs1Keys.IsGln("9506000134307"));
        Assert.True(Gs1Keys.IsGrai("09506000134307X42"));
        Assert.False(Gs1Keys.IsGrai("19506000134307X42"));
        Assert.True(Gs1Keys.IsGiai("9506000134ASSET-7"));
        Assert.False(Gs1Keys.IsGiai("9506000134ASSET 7"));
        Assert.True(Gs1Keys.IsGsrn("061414112345678902"));
    }

    [Fact]
    public void Element_strings_read_and_write_both_forms()
    {
        var bracketed = Gs1ElementString.Parse("(01)09506000134352(10)AB(C)1(17)261231(21)S1");
        Assert.Equal("AB(C)1", bracketed["10"]);
        var separated = bracketed.ToSeparated("]d2");
        // (01) and (17) have predefined lengths and come first; the variable (10) ends with GS; the last needs nothing.
        Assert.Equal("]d2010950600013435217261231" + "10AB(C)1\u001D21S1", separated);
        var again = Gs1ElementString.Parse(separated);
        Assert.Equal(bracketed.Elements.OrderBy(e => e.Ai), again.Elements.OrderBy(e => e.Ai));
        Assert.Equal("09506000134352", Gs1ElementString.Parse("\u001D0109506000134352").ToString()[4..]);
    }

    [Theory]
    [InlineData("(01)09506000134353", "check digit")]
    [InlineData("(99)", "characters")]
    [InlineData("(21)ABCDEFGHIJKLMNOPQRSTU", "1 to 20")]
    [InlineData("(01)0950600013435", "exactly 14")]
    [InlineData("(7777)X", "Unknown AI")]
    [InlineData("0109506000134352(", "No known AI")]
    [InlineData("(01)09506000134352(01)09506000134369", "twice")]
    public void Bad_element_strings_are_refused_with_a_reason(string text, string reason)
    {
        Assert.False(Gs1ElementString.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_TDS_example_SGTIN_encodes_to_its_published_hex()
    {
        // EPC Tag Data Standard, SGTIN-96 worked example: urn:epc:tag:sgtin-96:3.0614141.812345.6789.
        Assert.True(EpcTag.TryParse("urn:epc:tag:sgtin-96:3.0614141.812345.6789", out var tag, out var error), error);
        Assert.Equal("3074257BF7194E4000001A85", Epc96.EncodeHex(tag));
        Assert.Equal("urn:epc:id:sgtin:0614141.812345.6789", tag.Identity.ToPureIdentityUri());
        Assert.Equal("(01)80614141123458(21)6789", tag.Identity.ToElementString().ToBracketed());
        Assert.True(EpcIdentity.TryFromElementString(tag.Identity.ToElementString(), 7, out var back, out error), error);
        Assert.Equal(tag.Identity, back);
    }

    [Theory]
    [InlineData("3574257BF7194E4000001A85", "header")]
    [InlineData("307C257BF7194E4000001A85", "Partition value 7")]
    [InlineData("urn:epc:tag:sgtin-96:3.0614141.812345.06789", "leading zeros")]
    [InlineData("urn:epc:tag:sgtin-96:3.0614141.812345.274877906944", "38 bits")]
    [InlineData("urn:epc:tag:sgtin-96:8.0614141.812345.1", "0–7")]
    [InlineData("urn:epc:id:sgtin:0614141.81234.1", "13 digits")]
    [InlineData("urn:epc:id:sgtin:0614141.812345.a/b", "Invalid percent-escape")]
    public void Malformed_EPCs_are_refused_with_a_reason(string text, string reason)
    {
        Assert.False(IdentifierRecognizer.TryRecognise(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void EPC_URIs_escape_the_reserved_characters_of_a_serial()
    {
        var id = new EpcIdentity(EpcScheme.Sgtin, "0614141", "812345", "A/B%C?");
        Assert.Equal("urn:epc:id:sgtin:0614141.812345.A%2FB%25C%3F", id.ToPureIdentityUri());
        Assert.Equal(id, EpcIdentity.Parse(id.ToPureIdentityUri()));
    }

    [Theory]
    [InlineData("1.2.156.101818.2.16", true)]
    [InlineData("urn:oid:2.25.329800735698586629295641978511506172918", true)]
    [InlineData("oid:0.39", true)]
    [InlineData("0.40", false)]
    [InlineData("1.40.1", false)]
    [InlineData("3.1", false)]
    [InlineData("1.02.3", false)]
    [InlineData("1", false)]
    [InlineData("1..2", false)]
    public void OIDs_are_validated_arc_by_arc(string text, bool valid)
    {
        Assert.Equal(valid, Oid.TryParse(text, out var oid, out var error));
        if (valid)
            Assert.True(oid!.IsUnder(Oid.Parse(string.Join('.', oid.Dotted.Split('.').Take(2)))));
        else
            Assert.NotNull(error);
    }

    [Theory]
    [InlineData("ecode:0100212345678901234567890", true)]
    [InlineData("ecode:010021234567890123456789", false)] // version 0 needs 20 digits of master data
    [InlineData("ecode:21001200001", true)]
    [InlineData("ecode:310012ABC123", true)]
    [InlineData("ecode:310012abc", false)]
    [InlineData("ecode:61234567", false)] // reserved version
    public void Ecodes_follow_the_structure_of_their_version(string text, bool valid)
    {
        Assert.Equal(valid, Ecode.TryParse(text, out _, out var error));
        Assert.Equal(valid, error is null);
    }

    [Theory]
    [InlineData("https://id.gs1.org/01/09506000134352/10/L1/21/S1", "gs1-digital-link", "gs1:(01)09506000134352(21)S1")]
    [InlineData("(01)09506000134352(21)S1", "gs1-element-string", "gs1:(01)09506000134352(21)S1")]
    [InlineData("urn:epc:id:sgtin:9506000.013435.7", "epc-pure-identity", "gs1:(01)09506000134352(21)7")]
    [InlineData("urn:epc:tag:sgtin-96:1.9506000.013435.7", "epc-tag-uri", "gs1:(01)09506000134352(21)7")]
    [InlineData("9506000134352", "gtin", "gs1:(01)09506000134352")]
    [InlineData("1.2.156.101818", "oid", "oid:1.2.156.101818")]
    [InlineData("ecode:21001200001", "ecode", "ecode:21001200001")]
    [InlineData("88.100.12/PUMP-1", "handle", "88.100.12/PUMP-1")]
    public void The_recogniser_names_the_scheme_and_the_canonical_key(string text, string scheme, string key)
    {
        Assert.True(IdentifierRecognizer.TryRecognise(text, out var id, out var error), error);
        Assert.Equal(scheme, id.SchemeName);
        Assert.Equal(key, id.Keys[0]);
    }

    [Fact]
    public void A_serialised_GTIN_walks_up_to_lot_and_GTIN()
    {
        Assert.True(IdentifierRecognizer.TryRecognise("https://example.com/01/09506000134352/10/L1/21/S1", out var id, out _));
        Assert.Equal(["gs1:(01)09506000134352(21)S1", "gs1:(01)09506000134352(10)L1", "gs1:(01)09506000134352"], id.Keys);
    }
}
