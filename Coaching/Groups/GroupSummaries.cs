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
        var reports = answers.Select(a => a.Report).ToList();

        // Means over the answers that have each dimension (delivery only exists for spoken answers), in first-seen order.
        var averages = reports.SelectMany(r => r.Scores)
            .GroupBy(s => s.Name, StringComparer.Ordinal)
            .Select(g => new GroupAverage(g.Key, Mean(g.Select(s => (double)s.Score)), g.Count()))
            .ToList();

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
            reports.Count == 0 ? null : Mean(reports.Select(r => (double)r.Overall)),
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
