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
    /// <param name="previous">The user's earlier finished mock interviews, oldest first.</param>
    /// <param name="finishedAt">When it ended.</param>
    public static MockReportCard Build(
        string mockId, string title, int questions, IReadOnlyList<MockAnswer> answers, IReadOnlyList<MockSummary> previous, DateTimeOffset finishedAt)
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
            .SelectMany(a => a.Competencies.Distinct(StringComparer.Ordinal).Select(c => (Competency: c, Answer: a)))
            .GroupBy(x => x.Competency, StringComparer.Ordinal)
            .Select(g => new MockScore(g.Key, Mean(g.Select(x => (double)x.Answer.Report!.Overall)), g.Count()) { Uncertain = g.Count(x => Uncertain(x.Answer)) })
            .OrderBy(s => s.Score).ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        var notAssessed = answers.Where(a => a.Skipped).SelectMany(a => a.Competencies)
            .Where(c => !competencies.Exists(s => s.Name == c)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        var criteria = new List<MockScore>();
        foreach (var (criterion, dimensions) in CriteriaDimensions)
        {
            var perAnswer = scored
                .Select(a => (Answer: a, Scores: a.Report!.Scores.Where(s => dimensions.Contains(s.Name)).Select(s => (double)s.Score).ToList()))
                .Where(x => x.Scores.Count > 0)
                .ToList();
            if (perAnswer.Count > 0)
            {
                // Delivery is measured from the sound, not the words: an unreliable transcript leaves it standing.
                var uncertain = criterion == "delivery" ? 0 : perAnswer.Count(x => Uncertain(x.Answer));
                criteria.Add(new MockScore(criterion, Mean(perAnswer.Select(x => x.Scores.Average())), perAnswer.Count) { Uncertain = uncertain });
            }
        }

        var lines = answers
            .Select(a => new MockAnswerLine(a.Position + 1, a.FollowUp, a.QuestionText, a.Report?.Overall, Uncertain(a)))
            .ToList();
        var principal = Principal(scored);
        return new MockReportCard(
            mockId, title, readiness, DimensionScore.LabelFor(readiness), questions, scored.Count, skipped,
            answers.Count(a => a.FollowUp), competencies, criteria, WorkOn(principal, answers), Strongest(principal), Compare(title, readiness, previous), finishedAt)
        {
            Answers = lines,
            Uncertain = scored.Count(Uncertain),
            NotAssessed = notAssessed,
        };
    }

    /// <summary>
    /// Compares like with like: this interview with the user's earlier ones of the same kind (the same role, or the same
    /// plan). When there is none, the newest earlier interview of another kind is named but not compared.
    /// </summary>
    private static MockComparison Compare(string title, int readiness, IReadOnlyList<MockSummary> previous)
    {
        var like = previous.Where(p => string.Equals(p.Title, title, StringComparison.Ordinal)).ToList();
        if (like.Count == 0)
        {
            var other = previous.Count == 0 ? null : previous[^1];
            var text = other is null
                ? "This is your first mock interview: the next one will be compared with it."
                : $"This is your first {title} mock interview, so there is nothing like it to compare with. " +
                  $"Your last mock interview was for {other.Title} ({other.Readiness}/100): other questions, so not compared.";
            return new MockComparison(0, null, null, null, text) { OtherKind = other };
        }

        var last = like[^1].Readiness;
        var best = like.Max(p => p.Readiness);
        var change = readiness - last;
        var direction = change > 0 ? $"Up {change} points on" : change < 0 ? $"Down {-change} points on" : "The same as";
        var bestNote = readiness > best ? $" Your best {title} mock interview so far." : $" Your best {title} mock interview so far: {best}/100.";
        var count = like.Count == 1 ? string.Empty : $" ({like.Count} earlier ones)";
        return new MockComparison(like.Count, last, best, change, $"{direction} your last {title} mock interview ({last} → {readiness}){count}.{bestNote}");
    }

    /// <summary>
    /// The three things to work on first. An answer the interviewer would notice first comes first: one that did not
    /// address its question, then the improvements the advice gave most often across the answers (by the dimension they
    /// are about, then the ones on the lowest-scoring answers), and a skipped question; each quoted from the answer where
    /// it showed. Answers whose transcript was not reliable are left out: their advice is about words that may not have been said.
    /// </summary>
    private static List<MockWorkItem> WorkOn(List<MockAnswer> principal, IReadOnlyList<MockAnswer> all)
    {
        var trusted = principal.Where(a => !Uncertain(a)).ToList();
        var items = new List<MockWorkItem>();
        var offTopic = trusted.Where(a => a.Report!.Headline?.Kind == "off_topic").ToList();
        if (offTopic.Count > 0)
        {
            items.Add(new MockWorkItem(
                "Answer the question that was asked",
                $"Your answer to “{offTopic[0].QuestionText}” was about something else. When a question is unexpected, take a moment, " +
                "restate it in a few words, then answer it with an example of your own.",
                string.Empty, offTopic[0].QuestionText, offTopic.Count));
        }

        var skipped = all.Where(a => a.Skipped && !a.FollowUp).ToList();
        var slots = 3 - items.Count - (skipped.Count > 0 ? 1 : 0);
        var candidates = trusted
            .SelectMany(a => a.Report!.Improvements.Select(i => (Answer: a, Improvement: i)))
            .Where(x => x.Answer.Report!.Headline?.Kind != "off_topic")
            .Where(x => x.Improvement.Evidence.Length > 0 || !PointsAtAQuote(x.Improvement.Suggestion))
            .ToList();
        var groups = candidates
            .GroupBy(x => x.Improvement.Dimension ?? x.Improvement.Title, StringComparer.Ordinal)
            .Select(g =>
            {
                // The example shown is from the weakest answer that has a quote, so the user sees the problem in their own words.
                var example = g.OrderBy(x => x.Improvement.Evidence.Length > 0 ? 0 : 1).ThenBy(x => x.Answer.Report!.Overall).First();
                return (Count: g.Select(x => x.Answer).Distinct().Count(), Lowest: g.Min(x => x.Answer.Report!.Overall), Example: example);
            })
            .OrderByDescending(x => x.Count).ThenBy(x => x.Lowest).ThenBy(x => x.Example.Improvement.Title, StringComparer.Ordinal)
            .ToList();
        var chosen = groups.Take(slots).Select(x => (x.Example, x.Count)).ToList();

        // Fewer kinds of advice than slots: the next most pressing improvements (another title, on the weakest answers
        // first), so the card still names three things when the answers gave three.
        foreach (var extra in candidates.OrderBy(x => x.Answer.Report!.Overall).ThenBy(x => x.Answer.Position))
        {
            if (chosen.Count >= slots)
            {
                break;
            }

            if (!chosen.Exists(c => c.Example.Improvement.Title == extra.Improvement.Title))
            {
                chosen.Add((extra, 1));
            }
        }

        items.AddRange(chosen.Select(c => new MockWorkItem(
            c.Example.Improvement.Title, c.Example.Improvement.Suggestion, c.Example.Improvement.Evidence, c.Example.Answer.QuestionText, c.Count)));
        if (skipped.Count > 0 && items.Count < 3)
        {
            items.Add(new MockWorkItem(
                "Answer every question",
                $"You skipped {(skipped.Count == 1 ? $"“{skipped[0].QuestionText}”" : $"{skipped.Count} questions")}, and it counts as 0. " +
                "In a real interview, a short honest attempt (what you know, how you would find out the rest) scores better than none.",
                string.Empty, skipped[0].QuestionText, skipped.Count));
        }

        return items;
    }

    // Advice written to sit under the sentence it is about ("Add it next to this sentence") reads as nonsense with no quote.
    private static bool PointsAtAQuote(string suggestion) =>
        suggestion.Contains("this sentence", StringComparison.OrdinalIgnoreCase) || suggestion.Contains("from here", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The strongest answer among those heard reliably; when every answer rested on an unreliable transcript, the best of
    /// them, marked uncertain and never quoted.
    /// </summary>
    private static MockHighlight? Strongest(List<MockAnswer> principal)
    {
        var trusted = principal.Where(a => !Uncertain(a)).ToList();
        var pool = trusted.Count > 0 ? trusted : principal;
        var best = pool.OrderByDescending(a => a.Report!.Overall).ThenBy(a => a.Position).FirstOrDefault();
        if (best?.Report is not { } report)
        {
            return null;
        }

        if (Uncertain(best))
        {
            return new MockHighlight(best.QuestionText, report.Overall, string.Empty,
                "Uncertain: this spoken answer was not heard reliably, so its score rests on a rough transcript.") { Uncertain = true };
        }

        var top = report.Scores.Where(s => s.Name != Dimensions.Delivery).OrderByDescending(s => s.Score).FirstOrDefault();
        var quote = top is { Evidence.Count: > 0 } ? top.Evidence[0] : string.Empty;
        var why = report.Strengths.Count > 0 ? report.Strengths[0] : top is null ? "Your highest score." : $"{top.Name}: {top.Reason}";
        return new MockHighlight(best.QuestionText, report.Overall, quote, why);
    }

    /// <summary>
    /// The answers to main questions when there are any: a follow-up's answer is a short probe, so it is neither the
    /// strongest answer nor where the things to work on are found (its advice judges it as a whole answer).
    /// </summary>
    private static List<MockAnswer> Principal(List<MockAnswer> scored) =>
        scored.Exists(a => !a.FollowUp) ? [.. scored.Where(a => !a.FollowUp)] : scored;

    /// <summary>
    /// A spoken answer whose transcript fell below the engine's calibrated confidence: its content figures are uncertain
    /// and its transcript is never quoted back as what the user said.
    /// </summary>
    internal static bool Uncertain(MockAnswer answer) => answer.Report is { } report && (report.ContentUncertain || report.Answer.Reliable is false);

    private static int Mean(IEnumerable<double> values) => (int)Math.Round(values.Average(), MidpointRounding.AwayFromZero);
}
