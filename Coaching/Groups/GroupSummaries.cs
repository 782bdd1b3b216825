using CoachBot.Coaching.Reports;

namespace CoachBot.Coaching.Groups;

/// <summary>Builds a round's summary from the reports its members received. Pure: the same answers give the same summary.</summary>
public static class GroupSummaries
{
    private const int ThemeCount = 2;
    private const int QuoteChars = 200;

    /// <summary>Summarizes <paramref name="answers"/>; highlights come only from members in <paramref name="consenting"/> (user keys).</summary>
    public static GroupSummary Summarize(IReadOnlyList<GroupAnswer> answers, IReadOnlySet<string> consenting, IReadOnlyList<ReportNextQuestion> questions)
    {
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(consenting);

        // Each member counts once: their answers are averaged first, then the members' means (so one person answering
        // five times does not outweigh the rest). Delivery only exists for spoken answers, so each dimension is
        // averaged over the members who have it. Dimensions in first-seen order.
        var averages = answers
            .SelectMany(a => a.Report.Scores.Select(s => (a.UserKey, s.Name, Score: (double)s.Score)))
            .GroupBy(x => x.Name, StringComparer.Ordinal)
            .Select(g => new GroupAverage(
                g.Key,
                Mean(g.GroupBy(x => x.UserKey, StringComparer.Ordinal).Select(m => m.Average(x => x.Score))),
                g.Count()))
            .ToList();
        var overall = answers.Count == 0 ? (double?)null
            : Mean(answers.GroupBy(a => a.UserKey, StringComparer.Ordinal).Select(m => m.Average(a => (double)a.Report.Overall)));

        var strengths = Themes(answers, a => a.Report.Strengths.Select(s => (Title: s, Example: (string?)QuoteFor(a.Report, null))));
        var improvements = Themes(answers, a => a.Report.Improvements.Select(i => (Title: i.Title, Example: i.Evidence.Length > 0 ? (string?)Clip(i.Evidence) : null)));

        // Each consenting member's best answer, quoted by its strongest evidence.
        var highlights = answers
            .Where(a => consenting.Contains(a.UserKey))
            .GroupBy(a => a.UserKey, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(a => a.Report.Overall).First())
            .Select(best => (Best: best, Quote: QuoteFor(best.Report, null)))
            .Where(h => h.Quote is not null)
            .OrderByDescending(h => h.Best.Report.Overall)
            .Select(h => new GroupHighlight(h.Best.UserId, h.Quote!, h.Best.Report.Overall))
            .ToList();

        return new GroupSummary(
            [.. answers.Select(a => a.UserId).Distinct(StringComparer.Ordinal)],
            answers.Count,
            questions,
            overall,
            averages,
            strengths,
            improvements,
            highlights);
    }

    /// <summary>The mean rounded to one decimal, halves away from zero (what the summary card shows).</summary>
    public static double Mean(IEnumerable<double> values) =>
        Math.Round(values.Average(), 1, MidpointRounding.AwayFromZero);

    private static List<GroupTheme> Themes(IReadOnlyList<GroupAnswer> answers, Func<GroupAnswer, IEnumerable<(string Title, string? Example)>> items)
    {
        // Counted per member, so one person answering three questions the same way does not make a group theme.
        var found = answers
            .SelectMany(a => items(a).Select(item => (a.UserKey, item.Title, item.Example)))
            .GroupBy(x => x.Title.Trim(), StringComparer.OrdinalIgnoreCase)
            .Select(g => new GroupTheme(
                g.First().Title.Trim(),
                g.Select(x => x.UserKey).Distinct(StringComparer.Ordinal).Count(),
                g.Select(x => x.Example).FirstOrDefault(e => !string.IsNullOrWhiteSpace(e))))
            .OrderByDescending(t => t.Members)
            .ThenBy(t => t.Title, StringComparer.Ordinal)
            .Take(ThemeCount)
            .ToList();
        return found;
    }

    private static string? QuoteFor(CoachingReport report, string? dimension) =>
        report.Scores
            .Where(s => dimension is null || s.Name == dimension)
            .OrderByDescending(s => s.Score)
            .SelectMany(s => s.Evidence)
            .Where(e => !string.IsNullOrWhiteSpace(e))
            .Select(Clip)
            .FirstOrDefault();

    private static string Clip(string text) => text.Length <= QuoteChars ? text : string.Concat(text.AsSpan(0, QuoteChars - 1), "…");
}
