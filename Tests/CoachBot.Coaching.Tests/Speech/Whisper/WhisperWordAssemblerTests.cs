using System.Text;
using CoachBot.Coaching.Speech.Whisper;

namespace CoachBot.Coaching.Tests.Speech.Whisper;

public sealed class WhisperWordAssemblerTests
{
    [Fact]
    public void Complete_SubWordTokens_JoinIntoWordsSpanningTheirTokens()
    {
        var words = new WhisperWordAssembler();
        words.Add(" And", 0.00, 0.30, 0.9);
        words.Add(" so", 0.30, 0.50, 0.8);
        words.Add(" my", 0.50, 0.70, 0.7);
        words.Add(" fellow", 0.70, 1.10, 0.6);
        words.Add(" Americ", 1.10, 1.50, 0.5);
        words.Add("ans", 1.50, 1.80, 0.9);
        words.Add(",", 1.80, 1.85, 1.0);

        var result = words.Complete();

        Assert.Equal(["And", "so", "my", "fellow", "Americans,"], result.Select(w => w.Word));
        var last = result[^1];
        Assert.Equal(1.10, last.Start);
        Assert.Equal(1.85, last.End);
        Assert.Equal(0.8, last.Confidence, 3); // mean of 0.5, 0.9 and 1.0
    }

    [Fact]
    public void Complete_MultiByteCharacterSplitAcrossTokens_DecodesWhole()
    {
        var cafe = Encoding.UTF8.GetBytes(" café");
        var words = new WhisperWordAssembler();
        words.Add(cafe.AsSpan(0, cafe.Length - 1), 0, 0.2, 0.9); // ends half-way through "é"
        words.Add(cafe.AsSpan(cafe.Length - 1), 0.2, 0.4, 0.9);

        Assert.Equal("café", Assert.Single(words.Complete()).Word);
    }

    [Fact]
    public void Complete_PunctuationOnlyPieces_AreNotWords()
    {
        var words = new WhisperWordAssembler();
        words.Add(" -", 0, 0.1, 0.9);
        words.Add(" ask", 0.1, 0.4, 0.9);
        words.Add(" ...", 0.4, 0.5, 0.9);

        Assert.Equal(["ask"], words.Complete().Select(w => w.Word));
    }

    [Fact]
    public void Flush_AtSegmentBoundary_StartsANewWordWithoutALeadingSpace()
    {
        var words = new WhisperWordAssembler();
        words.Add(" country", 5.0, 5.4, 0.9);
        words.Flush();
        words.Add("Ask", 6.0, 6.3, 0.9);

        Assert.Equal(["country", "Ask"], words.Complete().Select(w => w.Word));
    }
}
