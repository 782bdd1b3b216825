using CoachBot.Coaching.Advice;
using CoachBot.Coaching.Knowledge;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Scoring;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Coaching.Tests.Advice;

public sealed class RuleBasedCoachKnowledgeTests
{
    private const string WeAnswer =
        "We had a disagreement on the team about the reporting module. We talked about it and we looked at some options together, " +
        "and in the end we agreed to do a bit of both.";

    [Fact]
    public void Write_SnippetForAnImprovedDimension_SuggestionCitesItsArticleAndReferencesListIt()
    {
        var question = Bank.Conflict();
        var content = Scorers.Default.Score(question, WeAnswer);
        var plain = RuleBasedCoach.Write(new AdviceRequest(question, content));
        var dimension = content.Scores.OrderByDescending(RuleBasedCoach.Gain).First(s => s.Score < 80).Name;
        var snippet = new KnowledgeSnippet("builtin:star-we-vs-i#0", "Say I, not only we > Why it matters", "builtin:star-we-vs-i", "…", 0.03) { Dimension = dimension };
        var unrelated = new KnowledgeSnippet("builtin:salary#0", "Salary", "builtin:salary", "…", 0.02) { Dimension = "no-such-dimension" };

        var grounded = RuleBasedCoach.Write(new AdviceRequest(question, content) { Knowledge = [snippet, unrelated] });

        Assert.Equal(plain.Improvements.Select(i => i.Title), grounded.Improvements.Select(i => i.Title));
        Assert.EndsWith("More in “Say I, not only we”.", grounded.Improvements[0].Suggestion, StringComparison.Ordinal);
        Assert.Equal([new ReportReference("Say I, not only we", "builtin:star-we-vs-i")], grounded.References);
        Assert.Empty(plain.References);
    }
}
