using CsCheck;
using Fabrica.Identifiers.Model;

namespace Fabrica.Identifiers.Tests.Model;

public sealed class HandleNameTests
{
    [Theory]
    [InlineData("88.100.12/PUMP-0001", "88.100.12", "PUMP-0001")]
    [InlineData("0.na/88.100.12", "0.NA", "88.100.12")]
    [InlineData("abc.def/Mixed/Case/with/slashes", "ABC.DEF", "Mixed/Case/with/slashes")]
    [InlineData("20.500.12345/零件-1", "20.500.12345", "零件-1")]
    public void Valid_handles_parse_with_an_upper_cased_prefix_and_the_suffix_as_given(string text, string prefix, string suffix)
    {
        var name = HandleName.Parse(text);
        Assert.Equal(prefix, name.Prefix);
        Assert.Equal(suffix, name.Suffix);
    }

    [Theory]
    [InlineData("")]
    [InlineData("no-slash")]
    [InlineData("/suffix")]
    [InlineData("88./x")]
    [InlineData(".88/x")]
    [InlineData("88..1/x")]
    [InlineData("88 1/x")]
    [InlineData("88/")]
    [InlineData("88/a\u0001b")]
    [InlineData("0.NA/not a prefix")]
    public void Invalid_handles_are_refused_with_a_reason(string text)
    {
        Assert.False(HandleName.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Prefixes_compare_case_insensitively_and_suffixes_case_sensitively()
    {
        Assert.Equal(HandleName.Parse("ab.cd/X"), HandleName.Parse("AB.cd/X"));
        Assert.NotEqual(HandleName.Parse("ab/X"), HandleName.Parse("ab/x"));
        Assert.Equal(HandleName.Parse("0.NA/ab.cd"), HandleName.ForPrefix("AB.CD"));
    }

    [Fact]
    public void A_lone_surrogate_or_an_over_long_handle_is_refused()
    {
        Assert.False(HandleName.TryParse("88/a\ud800b", out _, out _));
        Assert.False(HandleName.TryParse("88/" + new string('x', HandleName.MaxUtf8Length), out _, out _));
    }

    [Fact]
    public void Ancestors_and_containment_follow_dot_boundaries()
    {
        Assert.Equal(["88.100", "88"], HandleName.Ancestors("88.100.12"));
        Assert.True(HandleName.IsUnder("88.100.12", "88.100"));
        Assert.False(HandleName.IsUnder("88.1000", "88.100"));
    }

    [Fact]
    public void Any_parsed_handle_parses_again_to_itself()
    {
        var segment = Gen.String[Gen.Char.AlphaNumeric, 1, 6];
        Gen.Select(segment.Array[1, 4], Gen.String[Gen.Char['!', '~'], 1, 30]).Sample((segments, suffix) =>
        {
            var name = HandleName.Parse(string.Join('.', segments) + "/" + suffix);
            Assert.Equal(name, HandleName.Parse(name.ToString()));
            Assert.Equal(suffix, name.Suffix);
        });
    }
}
