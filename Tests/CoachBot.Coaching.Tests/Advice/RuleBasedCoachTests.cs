using CoachBot.Coaching.Advice;
using CoachBot.Coaching.Scoring;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Coaching.Tests.Advice;

public class RuleBasedCoachTests
{
    private const string NoResultAnswer =
        "At my previous job we had a disagreement about whether to rewrite the reporting module. My colleague wanted a full rewrite " +
        "and I disagreed. We talked about it for a while and we looked at some options together. I think in the end we kind of agreed " +
        "to do a bit of both, and the team was mostly okay with it.";

    private readonly ContentScorer _scorer = Scorers.Default;

    [Fact]
    public void Write_TypicalAnswer_TipsOnlyWhereTheAnswerIsWeakAndPraisesOnlyWhereItIsStrong()
    {
        var question = Bank.Conflict();
        var analysis = _scorer.Score(question, NoResultAnswer);

        var advice = RuleBasedCoach.Write(new AdviceRequest(question, analysis));

        Assert.InRange(advice.Improvements.Count, 1, 3);
        Assert.All(advice.Improvements, i => Assert.True(analysis[i.Dimension!].Score < RuleBasedCoach.ImprovementThreshold, $"{i.Title} on a dimension rated {analysis[i.Dimension!].Label}"));
        Assert.InRange(advice.Strengths.Count, 0, 3);
        Assert.Equal("rules", advice.Source.Source);
        Assert.Null(advice.Source.Model);
    }

    [Fact]
    public void Write_Improvements_QuoteTheAnswerItself()
    {
        var advice = Advise(NoResultAnswer);

        Assert.All(advice.Improvements.Where(i => i.Evidence.Length > 0 && !i.Evidence.Contains("words", StringComparison.Ordinal)),
            i => Assert.Contains(i.Evidence.TrimEnd('…'), NoResultAnswer, StringComparison.Ordinal));
        Assert.All(advice.Improvements, i => Assert.False(string.IsNullOrWhiteSpace(i.Suggestion)));
    }

    [Fact]
    public void Write_MissingResult_PutsFinishWithTheResultFirstAmongStructureAdvice()
    {
        var advice = Advise(NoResultAnswer);

        Assert.Contains(advice.Improvements, i => i.Title is "Finish with the result" or "Make it concrete" or "Cover what the interviewer is listening for" ||
                                                  (i.Title == "Give the whole answer" && i.Suggestion.Contains("states the outcome", StringComparison.Ordinal)));
    }

    [Fact]
    public void Write_MissedPoints_AreExactlyThePointsNoSentenceComesNear()
    {
        var question = Bank.Conflict();
        var analysis = _scorer.Score(question, NoResultAnswer);

        var advice = RuleBasedCoach.Write(new AdviceRequest(question, analysis));

        // Only points no sentence comes near are claimed as missed; a point said in passing is not. They are listed only
        // next to the tip that says how to cover them.
        var tip = advice.Improvements.Any(i => i.Title is "Cover what the interviewer is listening for" or "Give the whole answer");
        Assert.Equal(tip ? analysis.Rubric.Where(r => !r.Covered && !r.Unclear).Select(r => r.Point.Point) : [], advice.MissedPoints);
    }

    [Fact]
    public void Write_FarTooLongAnswer_PutsLengthFirst()
    {
        var answer = string.Concat(Enumerable.Repeat("I disagreed with my teammate about the database, so I listened and then I ran another benchmark on the cluster. ", 120));

        var advice = Advise(answer);

        Assert.Equal("Tighten the answer", advice.Improvements[0].Title);
    }

    [Fact]
    public void Write_VeryWeakAnswer_OffersOnlyStrengthsThatAreTrue()
    {
        var advice = Advise("I think we kind of fixed the disagreement with my teammate.");

        Assert.DoesNotContain(advice.Strengths, s => s.Contains("own part clear", StringComparison.Ordinal));
        Assert.DoesNotContain(advice.Strengths, s => s.Contains("direct", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(advice.Strengths, s => s.Contains("length", StringComparison.OrdinalIgnoreCase));
        Assert.NotEmpty(advice.Improvements);
    }

    [Fact]
    public void Write_SameAnswer_SameAdvice()
    {
        var first = Advise(NoResultAnswer);
        var second = Advise(NoResultAnswer);

        Assert.Equal(first.Strengths, second.Strengths);
        Assert.Equal(first.Improvements, second.Improvements);
    }

    private CoachingAdvice Advise(string answer)
    {
        var question = Bank.Conflict();
        return RuleBasedCoach.Write(new AdviceRequest(question, _scorer.Score(question, answer)));
    }
}
