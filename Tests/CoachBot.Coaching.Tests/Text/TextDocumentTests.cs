using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Tests.Text;

public class TextDocumentTests
{
    [Fact]
    public void Parse_SentencesWithDecimalsAndLineBreaks_SplitsOnlyAtSentenceEnds()
    {
        var doc = TextDocument.Parse("Latency fell by 3.5% in two weeks. Then I left!\nNew line here");

        Assert.Equal(["Latency fell by 3.5% in two weeks.", "Then I left!", "New line here"], doc.Sentences.Select(s => s.Text));
        Assert.Contains(doc.Tokens, t => t.Text == "3.5%");
        Assert.Equal(13, doc.WordCount);
    }

    [Fact]
    public void Parse_EmojiOnly_HasNoWords()
    {
        var doc = TextDocument.Parse("🙂🙂 👍 !!!");

        Assert.Equal(0, doc.WordCount);
        Assert.Empty(doc.Sentences);
    }

    [Fact]
    public void Parse_CurlyApostrophes_AreTreatedLikeStraightOnes()
    {
        var doc = TextDocument.Parse("I’m sure we’ll ship.");

        Assert.Equal(["i'm", "sure", "we'll", "ship"], doc.Tokens.Select(t => t.Lower));
    }

    [Fact]
    public void Quote_LongSentence_CutsAtAWordWithEllipsis()
    {
        var quote = TextDocument.Quote(string.Join(' ', Enumerable.Repeat("word", 100)), 50);

        Assert.True(quote.Length <= 50);
        Assert.EndsWith("…", quote, StringComparison.Ordinal);
        Assert.DoesNotContain("wor…", quote, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("negotiated", "negotiating")]
    [InlineData("created", "create")]
    [InlineData("priorities", "priority")]
    [InlineData("shipped", "shipping")]
    public void Stem_InflectedForms_Meet(string a, string b) => Assert.Equal(Stemmer.Stem(a), Stemmer.Stem(b));

    [Fact]
    public void PhraseMatcher_PrefixAndPhraseCues_MatchInflectionsButNotAcrossSentences()
    {
        var matcher = new PhraseMatcher(["negotiat*", "pushed back"]);

        Assert.Equal(2, matcher.Matches(TextDocument.Parse("I negotiated hard. She pushed back.")).Count());
        Assert.Empty(matcher.Matches(TextDocument.Parse("She pushed. Back then it was fine.")));
    }
}
