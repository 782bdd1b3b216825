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
    public void Write_TypicalAnswer_GivesTwoOrThreeStrengthsAndImprovements()
    {
        var advice = Advise(NoResultAnswer);

        Assert.InRange(advice.Strengths.Count, 2, 3);
        Assert.InRange(advice.Improvements.Count, 2, 3);
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

        Assert.Contains(advice.Improvements, i => i.Title is "Finish with the result" or "Make it concrete" or "Cover what the interviewer is listening for");
    }

    [Fact]
    public void Write_MissedPoints_AreExactlyTheUncoveredRubricPoints()
    {
        var question = Bank.Conflict();
        var analysis = _scorer.Score(question, NoResultAnswer);

        var advice = RuleBasedCoach.Write(new AdviceRequest(question, analysis));

        Assert.Equal(analysis.Rubric.Where(r => !r.Covered).Select(r => r.Point.Point), advice.MissedPoints);
    }

    [Fact]
    public void Write_FarTooLongAnswer_PutsLengthFirst()
    {
        var answer = string.Concat(Enumerable.Repeat("I disagreed and I listened and then I ran another benchmark on the cluster. ", 120));

        var advice = Advise(answer);

        Assert.Equal("Tighten the answer", advice.Improvements[0].Title);
    }

    [Fact]
    public void Write_VeryWeakAnswer_OffersOnlyStrengthsThatAreTrue()
    {
        var advice = Advise("I think we kind of fixed it.");

        Assert.NotEmpty(advice.Strengths);
        Assert.DoesNotContain(advice.Strengths, s => s.Contains("own part clear", StringComparison.Ordinal));
        Assert.DoesNotContain(advice.Strengths, s => s.Contains("direct", StringComparison.OrdinalIgnoreCase));
        Assert.All(advice.Strengths, s => Assert.True(s.StartsWith("Something to build on", StringComparison.Ordinal) || s.StartsWith("Short and", StringComparison.Ordinal), s));
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
