using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Scoring;

namespace CoachBot.Coaching.Mock;

/// <summary>One stored answer of a mock interview: a scored report, or a skipped question.</summary>
/// <param name="Position">The main question's place (0-based).</param>
/// <param name="FollowUp">True for the answer to a follow-up.</param>
/// <param name="QuestionText">The question as asked.</param>
/// <param name="Competencies">What the question probes (a follow-up probes its main question's).</param>
/// <param name="Report">The report, or null when the question was skipped.</param>
public sealed record MockAnswer(int Position, bool FollowUp, string QuestionText, IReadOnlyList<string> Competencies, CoachingReport? Report)
{
    /// <summary>True when the question was skipped.</summary>
    public bool Skipped => Report is null;
}

/// <summary>Builds the report card of a finished mock interview from its stored answers. Pure: no storage, no clock.</summary>
public static class MockReportCards
{
    /// <summary>
    /// The four criteria of the card and the scored dimensions each one averages: content is what the answer covers,
    /// structure how it is built and said in words, evidence how specific and personal it is, delivery how it sounded.
    /// </summary>
    public static readonly IReadOnlyList<(string Criterion, IReadOnlyList<string> Dimensions)> CriteriaDimensions =
    [
        ("content", [Dimensions.Relevance]),
        ("structure", [Dimensions.Structure, Dimensions.Length, Dimensions.Clarity]),
        ("evidence", [Dimensions.Specificity, Dimensions.Ownership]),
        ("delivery", [Dimensions.Delivery]),
    ];

    /// <summary>Builds the card.</summary>
    /// <param name="mockId">The mock interview.</param>
    /// <param name="title">What was practised.</param>
    /// <param name="questions">How many main questions were asked.</param>
    /// <param name="answers">The stored answers, in the order given.</param>
    /// <param name="previous">Readiness of the user's earlier finished mock interviews, oldest first.</param>
    /// <param name="finishedAt">When it ended.</param>
    public static MockReportCard Build(
        string mockId, string title, int questions, IReadOnlyList<MockAnswer> answers, IReadOnlyList<int> previous, DateTimeOffset finishedAt)
    {
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(previous);
        var scored = answers.Where(a => a.Report is not null).ToList();
        var skipped = answers.Count(a => a.Skipped);

        // Over the main questions asked: a follow-up is a short probe, not another question to be scored as a whole
        // answer. A skipped question counts as 0: an interviewer notices a question left unanswered.
        var main = answers.Where(a => !a.FollowUp).ToList();
        var mainScored = main.Where(a => a.Report is not null).ToList();
        var mainSkipped = main.Count(a => a.Skipped);
        var readiness = mainScored.Count + mainSkipped == 0 ? 0 : Mean(mainScored.Select(a => (double)a.Report!.Overall).Concat(Enumerable.Repeat(0.0, mainSkipped)));

        var competencies = scored
            .SelectMany(a => a.Competencies.Distinct(StringComparer.Ordinal).Select(c => (Competency: c, a.Report!.Overall)))
            .GroupBy(x => x.Competency, StringComparer.Ordinal)
            .Select(g => new MockScore(g.Key, Mean(g.Select(x => (double)x.Overall)), g.Count()))
            .OrderBy(s => s.Score).ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToList();

        var criteria = new List<MockScore>();
        foreach (var (criterion, dimensions) in CriteriaDimensions)
        {
            var perAnswer = scored
                .Select(a => a.Report!.Scores.Where(s => dimensions.Contains(s.Name)).Select(s => (double)s.Score).ToList())
                .Where(s => s.Count > 0)
                .Select(s => s.Average())
                .ToList();
            if (perAnswer.Count > 0)
            {
                criteria.Add(new MockScore(criterion, Mean(perAnswer), perAnswer.Count));
            }
        }

        var previousCount = previous.Count;
        int? last = previousCount == 0 ? null : previous[^1];
        int? best = previousCount == 0 ? null : previous.Max();
        int? change = last is { } l ? readiness - l : null;
        var comparison = new MockComparison(previousCount, last, best, change, Compare(readiness, previousCount, last, best));

        return new MockReportCard(
            mockId, title, readiness, DimensionScore.LabelFor(readiness), questions, scored.Count, skipped,
            answers.Count(a => a.FollowUp), competencies, criteria, WorkOn(Principal(scored)), Strongest(Principal(scored)), comparison, finishedAt);
    }

    private static string Compare(int readiness, int previous, int? last, int? best)
    {
        if (previous == 0 || last is not { } l)
        {
            return "This is your first mock interview: the next one will be compared with it.";
        }

        var change = readiness - l;
        var direction = change > 0 ? $"Up {change} points on" : change < 0 ? $"Down {-change} points on" : "The same as";
        var bestNote = best is { } b && readiness > b ? " Your best mock interview so far." : best is { } b2 ? $" Your best so far is {b2}/100." : string.Empty;
        return $"{direction} your last mock interview ({l} → {readiness}), over {previous} earlier {(previous == 1 ? "interview" : "interviews")}.{bestNote}";
    }

    /// <summary>
    /// The three things to work on first: the improvements the advice gave most often across the answers (by the
    /// dimension they are about), then the ones on the lowest-scoring answers; each quoted from the answer where it showed.
    /// </summary>
    private static List<MockWorkItem> WorkOn(List<MockAnswer> scored)
    {
        var items = scored
            .SelectMany(a => a.Report!.Improvements.Select(i => (Answer: a, Improvement: i)))
            .GroupBy(x => x.Improvement.Dimension ?? x.Improvement.Title, StringComparer.Ordinal)
            .Select(g =>
            {
                // The example shown is from the weakest answer that has a quote, so the user sees the problem in their own words.
                var example = g.OrderBy(x => Quotable(x.Answer) && x.Improvement.Evidence.Length > 0 ? 0 : 1)
                    .ThenBy(x => x.Answer.Report!.Overall).First();
                var quote = Quotable(example.Answer) ? example.Improvement.Evidence : string.Empty;
                return (Count: g.Select(x => x.Answer).Distinct().Count(), Lowest: g.Min(x => x.Answer.Report!.Overall),
                    Item: new MockWorkItem(example.Improvement.Title, example.Improvement.Suggestion, quote, example.Answer.QuestionText, 0));
            })
            .OrderByDescending(x => x.Count).ThenBy(x => x.Lowest).ThenBy(x => x.Item.Title, StringComparer.Ordinal)
            .Take(3)
            .Select(x => x.Item with { Answers = x.Count })
            .ToList();
        return items;
    }

    private static MockHighlight? Strongest(List<MockAnswer> scored)
    {
        var best = scored.OrderByDescending(a => a.Report!.Overall).ThenBy(a => a.Position).FirstOrDefault();
        if (best?.Report is not { } report)
        {
            return null;
        }

        var top = report.Scores.Where(s => s.Name != Dimensions.Delivery).OrderByDescending(s => s.Score).FirstOrDefault();
        var quote = Quotable(best) ? (top is { Evidence.Count: > 0 } ? top.Evidence[0] : string.Empty) : string.Empty;
        var why = report.Strengths.Count > 0 ? report.Strengths[0] : top is null ? "Your highest score." : $"{top.Name}: {top.Reason}";
        return new MockHighlight(best.QuestionText, report.Overall, quote, why);
    }

    /// <summary>
    /// The answers to main questions when there are any: a follow-up's answer is a short probe, so it is neither the
    /// strongest answer nor where the things to work on are found (its advice judges it as a whole answer).
    /// </summary>
    private static List<MockAnswer> Principal(List<MockAnswer> scored) =>
        scored.Exists(a => !a.FollowUp) ? [.. scored.Where(a => !a.FollowUp)] : scored;

    // A rough transcript is never quoted back as what the user said.
    private static bool Quotable(MockAnswer answer) => answer.Report is { ContentUncertain: false };

    private static int Mean(IEnumerable<double> values) => (int)Math.Round(values.Average(), MidpointRounding.AwayFromZero);
}
