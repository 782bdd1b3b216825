using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Tests.Text;

public class LexiconTests
{
    [Theory]
    [InlineData("So, like, we shipped it.", 1)]
    [InlineData("Like I said, it worked.", 1)]
    [InlineData("It was like a mess, um, honestly.", 3)]
    [InlineData("I like working with data.", 0)]
    [InlineData("It looked like a bug in the cache.", 0)]
    [InlineData("You know, I mean, it was basically sort of done.", 4)]
    [InlineData("What kind of database fits this sort of load?", 0)]
    [InlineData("How much do you know about how electricity gets to your house?", 0)]
    [InlineData("If you know the schema, you know, it is quick.", 1)]
    // Discourse markers that open a sentence or are set off by commas are fillers (a blind judge found "Anyway",
    // "honestly" and "OK, so" left uncounted); the same words inside a clause are the words themselves.
    [InlineData("Anyway, the release went out. Honestly I was relieved. OK, so, where to start.", 3)]
    [InlineData("The fix was, actually, quite small. It depends on the day, honestly.", 2)]
    [InlineData("I told her honestly that we would ship it anyway, and the tests went well, as well.", 0)]
    [InlineData("It went okay, and we actually shipped on time.", 0)]
    [InlineData("It can't see our own documents, like our help centre or contracts.", 0)]
    [InlineData("It sends a GET request with headers like cookies and accepted formats.", 0)]
    [InlineData("If there's a genuine case, like they were charged after cancelling, I'd take it to my lead.", 0)]
    [InlineData("And then, like, we shipped it.", 1)]
    [InlineData("Which one to favour depends on the cost of each kind of mistake.", 0)]
    public void FindFillers_CountsLikeOnlyAsAFiller(string text, int expected) =>
        Assert.Equal(expected, Lexicon.FindFillers(TextDocument.Parse(text)).Count);

    [Theory]
    // "or something" is a hedge where it trails off, not where it names one more option (a user's try-out).
    [InlineData("It could be a skills problem, a motivation problem or something outside work.", 0)]
    [InlineData("We could cache it or something.", 1)]
    [InlineData("We could cache it or something, I'm not sure.", 2)]
    public void FindHedges_OrSomething_OnlyWhereItTrailsOff(string text, int expected) =>
        Assert.Equal(expected, Lexicon.FindHedges(TextDocument.Parse(text)).Count);

    [Theory]
    [InlineData("If it's outside policy, I'd say so honestly and early.", 0)]
    [InlineData("I'd say the cache is the main problem.", 1)]
    [InlineData("Sometimes the relationship matters more than I think.", 0)]
    public void FindHedges_IdSaySo_IsTellingSomeoneNotAHedge(string text, int expected) =>
        Assert.Equal(expected, Lexicon.FindHedges(TextDocument.Parse(text)).Count);

    [Fact]
    public void FindHedges_CountsUnsurePhrases()
    {
        var hedges = Lexicon.FindHedges(TextDocument.Parse("I think it maybe worked, but I'm not sure."));

        Assert.Equal(["i think", "maybe", "i'm not sure"], hedges.Select(h => h.Hedge));
    }
}
