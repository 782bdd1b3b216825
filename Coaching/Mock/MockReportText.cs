using System.Globalization;
using System.Text;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Mock;

/// <summary>
/// The words of a mock interview's report card that every channel shows the same way: the plain-text card (the command
/// line's output and every card's fallback) and the marks on figures that rest on a transcript that was not reliable.
/// </summary>
public static class MockReportText
{
    /// <summary>The report card as plain text: the command line's output and every card's fallback.</summary>
    public static string Describe(MockReportCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(inv, $"Mock interview report: {card.Title}");
        text.AppendLine(inv, $"Readiness: {card.Readiness}/100 ({card.ReadinessLabel}) · {card.Answered} answered, {card.Skipped} skipped, {card.FollowUps} follow-ups");
        if (UncertainNote(card) is { } note)
        {
            text.AppendLine(note);
        }

        foreach (var line in card.Answers)
        {
            text.AppendLine(inv, $"  {AnswerLabel(line)}: {AnswerFigure(line)} · {TextDocument.Quote(line.Question, 90)}");
        }

        if (card.Competencies.Count > 0)
        {
            text.AppendLine("By competency: " + string.Join(", ", card.Competencies.Select(c => $"{c.Name} {c.Score}{UncertainMark(c)}")));
        }

        if (card.NotAssessed.Count > 0)
        {
            text.AppendLine("Not assessed (skipped): " + string.Join(", ", card.NotAssessed));
        }

        if (card.Criteria.Count > 0)
        {
            text.AppendLine("By criterion: " + string.Join(", ", card.Criteria.Select(c => $"{c.Name} {c.Score}{UncertainMark(c)}")));
        }

        for (var i = 0; i < card.WorkOn.Count; i++)
        {
            var item = card.WorkOn[i];
            text.AppendLine(inv, $"Work on {i + 1}: {item.Title}. {item.Suggestion}{(item.Quote.Length > 0 ? $" You said: “{item.Quote}”" : string.Empty)}");
        }

        if (card.Strongest is { } best)
        {
            text.AppendLine(inv, $"Strongest answer ({best.Overall}/100{(best.Uncertain ? ", uncertain" : string.Empty)}): {best.Question}{(best.Quote.Length > 0 ? $" “{best.Quote}”" : string.Empty)} {best.Why}");
        }

        text.Append(card.Comparison.Text);
        return text.ToString();
    }

    /// <summary>"Q2" or "Q2 follow-up".</summary>
    public static string AnswerLabel(MockAnswerLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return string.Create(CultureInfo.InvariantCulture, $"Q{line.Number}{(line.FollowUp ? " follow-up" : string.Empty)}");
    }

    /// <summary>An answer's figure: its score, "uncertain" when its transcript was not reliable, or "skipped".</summary>
    public static string AnswerFigure(MockAnswerLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return line.Overall is not { } overall ? "skipped"
            : line.Uncertain ? string.Create(CultureInfo.InvariantCulture, $"{overall}/100 (uncertain: not heard reliably)")
            : string.Create(CultureInfo.InvariantCulture, $"{overall}/100");
    }

    /// <summary>" (1 of 3 uncertain)" after a mean that includes answers not heard reliably; empty otherwise.</summary>
    public static string UncertainMark(MockScore score)
    {
        ArgumentNullException.ThrowIfNull(score);
        return score.Uncertain == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" ({score.Uncertain} of {score.Answers} uncertain)");
    }

    /// <summary>What the card says when some of its figures rest on a transcript that was not reliable; null when none do.</summary>
    public static string? UncertainNote(MockReportCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return card.Uncertain == 0 ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"Uncertain: {(card.Uncertain == 1 ? "1 spoken answer was" : $"{card.Uncertain} spoken answers were")} not heard reliably, so the figures marked uncertain rest on a rough transcript (delivery aside). It is not quoted below.");
    }
}
