using System.Globalization;
using System.Text;
using CoachBot.Cards;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Sessions;

namespace CoachBot.Bot.Cli;

/// <summary>Readable console renderings of reports and progress.</summary>
internal static class ReportPrinter
{
    public static string Format(CoachingReport report)
    {
        var view = ReportView.For(report);
        var s = new StringBuilder();
        if (view.Headline is { } headline)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"! {headline}");
            s.AppendLine();
        }

        s.AppendLine(CultureInfo.InvariantCulture, $"Question ({report.Question.Id}, {report.Question.Role}, {report.Question.Category}):");
        s.AppendLine(CultureInfo.InvariantCulture, $"  {report.Question.Text}");
        if (report.Question.RubricSource != "bank")
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"  Rubric: {report.Question.RubricSource}");
        }

        if (view.QuestionTypeLine is { } judgedAs)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"  {judgedAs}");
        }

        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"Overall: {report.Overall}/100 ({DimensionScore.LabelFor(report.Overall)})");
        foreach (var score in view.Scores)
        {
            var value = (score.Uncertain ? ReportView.UncertainMark : string.Empty) + score.Score.Score.ToString(CultureInfo.InvariantCulture);
            s.AppendLine(CultureInfo.InvariantCulture, $"  {score.Score.Name,-12} {value,4}  {score.Score.Label,-10} {score.Score.Reason}");
        }

        if (view.AnyUncertain)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"  {ReportView.UncertainNote}");
        }

        if (view.Transcript is { } transcript)
        {
            Section(s, transcript.Heading,
            [
                transcript.EngineLine,
                transcript.Quoted ? $"“{transcript.Text}”" : transcript.Text,
                .. transcript.Advice is { } advice ? new[] { advice } : [],
            ]);
        }

        if (report.Delivery is { } d)
        {
            Section(s, $"{ReportTitles.Delivery} ({d.DurationSeconds:0.#} s)",
            [
                $"pace {d.WordsPerMinute:0} words/min (articulation {d.ArticulationRate:0}), {d.Pauses} pauses, {d.LongPauses} long",
                $"fillers {d.Fillers.Count} ({d.Fillers.Ratio:P1} of words){(d.Fillers.Top.Count > 0 ? ": " + string.Join(", ", d.Fillers.Top) : string.Empty)}, hedges {d.Hedges}, repeated words {d.Repetitions}",
                $"pitch {(d.Pitch.MeanHz is { } hz ? $"{hz:0} Hz, varies {d.Pitch.VariationSemitones:0.#} semitones" : "not measurable")}; level {d.Energy.MeanDb:0.#} dBFS (±{d.Energy.VariationDb:0.#})",
                d.Flags.Count == 0 ? "no flags" : "flags: " + string.Join(", ", d.Flags),
            ]);
        }

        if (report.Emotions is { } e)
        {
            Section(s, "Emotions", [$"confidence {e.Confidence}, enthusiasm {e.Enthusiasm}, calm {e.Calm}, positivity {e.Positivity}: mostly {e.Dominant}"]);
        }

        Section(s, "Strengths", report.Strengths.Select(x => $"• {x}"));
        Section(s, "Improvements", view.Improvements.Select((x, i) =>
            $"{i + 1}. {x.Title}" +
            (x.Evidence is { } evidence ? $"\n     {ReportView.EvidenceLabel}: “{evidence}”" : string.Empty) +
            $"\n     Try: {x.Suggestion}" +
            (x.Article is { } pointer ? $"\n     {pointer.Label}" + (pointer.Id is { } id ? $" (coachbot knowledge show {Quoted(id)})" : string.Empty) : string.Empty)));
        Section(s, "Missed key points", report.MissedPoints.Select(x => $"• {x}"));
        if (report.ImprovedExample is { } example)
        {
            Section(s, ReportTitles.ImprovedExample, [example]);
        }

        if (report.NextQuestion is { } next)
        {
            Section(s, ReportTitles.NextQuestion, [$"{next.Text} ({next.Id})"]);
        }

        Section(s, "Warnings", report.Warnings.Select(x => $"! {x}"));
        s.AppendLine();
        s.Append(CultureInfo.InvariantCulture, $"Advice by: {report.Advice.Source}{(report.Advice.Model is { } m ? $" ({m})" : string.Empty)}");
        return s.ToString();
    }

    // An id a user can paste into a shell: ingested file names may hold spaces.
    private static string Quoted(string id) => id.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '-' or '_' or '.' or '/') ? id : $"'{id.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    public static string Format(ProgressSummary progress)
    {
        var mocks = progress.Mocks.Select(m => $"{m.FinishedAt:yyyy-MM-dd HH:mm}  readiness {m.Readiness,3}  {m.Answered} answers  {m.Title}").ToList();
        if (progress.Attempts == 0)
        {
            var none = new StringBuilder(mocks.Count == 0
                ? "No coached answers yet. Try: coachbot practice --text \"...\""
                : "No single practice questions answered yet (coachbot practice --text \"...\").\n");
            Section(none, "Mock interviews", mocks);
            return none.ToString().TrimEnd();
        }

        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"Attempts: {progress.Attempts}, average overall {progress.AverageOverall}/100");
        var change = progress.Trend.Change is { } c ? $" ({c.ToString("+0.#;-0.#;0", CultureInfo.InvariantCulture)} points over the last {progress.Trend.Window})" : string.Empty;
        s.AppendLine(CultureInfo.InvariantCulture, $"Trend: {progress.Trend.Direction}{change}");
        s.AppendLine(CultureInfo.InvariantCulture, $"Weakest dimension: {progress.WeakestDimension}");
        Section(s, "Average per dimension", progress.AverageByDimension.OrderBy(kv => kv.Value).Select(kv => $"{kv.Key,-12} {kv.Value,3}"));
        Section(s, "Recent", progress.Recent.Select(a => $"{a.At:yyyy-MM-dd HH:mm}  {a.QuestionId,-11} {a.Overall,3}"));
        Section(s, "Mock interviews", mocks);
        return s.ToString().TrimEnd();
    }

    private static void Section(StringBuilder s, string title, IEnumerable<string> lines)
    {
        var list = lines.ToList();
        if (list.Count == 0)
        {
            return;
        }

        s.AppendLine();
        s.AppendLine(title);
        foreach (var line in list)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"  {line}");
        }
    }
}
