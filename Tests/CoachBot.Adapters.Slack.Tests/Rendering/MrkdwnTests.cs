using CoachBot.Adapters.Slack.Rendering;

namespace CoachBot.Adapters.Slack.Tests.Rendering;

public sealed class MrkdwnTests
{
    [Fact]
    public void Escape_ControlCharacters_CannotFormMentionsOrLinks()
    {
        Assert.Equal("&lt;!channel&gt; &amp; &lt;@U123&gt; &lt;http://x|y&gt;", Mrkdwn.Escape("<!channel> & <@U123> <http://x|y>"));
    }

    [Fact]
    public void Fit_ShortText_IsOnlyEscaped() => Assert.Equal("a &amp; b", Mrkdwn.Fit("a & b", 100));

    [Theory]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(12)]
    public void Fit_CutNearAnEscape_NeverSplitsIt(int limit)
    {
        var fitted = Mrkdwn.Fit("abc<<<<<<<<<<", limit);

        Assert.True(fitted.Length <= limit, fitted);
        Assert.EndsWith("…", fitted, StringComparison.Ordinal);
        var body = fitted[..^1];
        Assert.Matches("^abc(&lt;)*$", body);
    }

    [Fact]
    public void Fit_CutAtAnEmoji_KeepsSurrogatePairsWhole()
    {
        var fitted = Mrkdwn.Fit(string.Concat(Enumerable.Repeat("😀", 10)), 6);

        Assert.True(fitted.Length <= 6);
        Assert.False(char.IsHighSurrogate(fitted[^2]), "a lone high surrogate before the ellipsis");
        Assert.Equal("😀😀…", fitted);
    }

    [Theory]
    [InlineData("Covers 2 of 5 key points: focuses on people and team outcomes", 50, "Covers 2 of 5 key points: focuses on people and…")]
    [InlineData("Says what you did, and what you would bring next", 24, "Says what you did, and…")]
    [InlineData("Says what you did, and what you would bring next", 21, "Says what you did…")]
    [InlineData("Supercalifragilisticexpialidocious", 10, "Supercali…")]
    public void Fit_CutInsideAWord_EndsAtTheWordBefore(string text, int limit, string expected)
    {
        Assert.Equal(expected, Mrkdwn.Fit(text, limit));
        Assert.Equal(expected, Mrkdwn.FitPlain(text, limit));
    }

    [Fact]
    public void FitEscaped_CutInsideAnEscape_BacksOffToBeforeIt()
    {
        var fitted = Mrkdwn.FitEscaped("abcdef&amp;ghij", 9);

        Assert.Equal("abcdef…", fitted);
    }

    [Fact]
    public void Unescape_SlackText_RestoresCharacters() => Assert.Equal("a < b & c > d", Mrkdwn.Unescape("a &lt; b &amp; c &gt; d"));

    [Fact]
    public void Quote_MultilineText_IsOneEscapedQuoteLine() => Assert.Equal(">a &lt;b&gt;", Mrkdwn.Quote("a\n<b>", 20));
}
