using System.Globalization;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Scoring;

namespace CoachBot.Cards;

/// <summary>
/// What a coaching report shows, decided once for every channel (Adaptive Cards for Teams and the dev chat, Block Kit for
/// Slack, the command line's text): the sections in order, their titles, and the wording of the headline, the transcriber
/// line, the uncertain-score markers and the article pointers. Renderers only lay it out; none of them decides what a
/// report says. Text from users and models stays raw here; each renderer escapes it for its format.
/// </summary>
public sealed record ReportView
{
    /// <summary>The label of a quote from a transcript that can be trusted, or from a typed answer.</summary>
    public const string EvidenceLabel = "You said";

    /// <summary>The heading of a voice answer's transcript when it can be quoted.</summary>
    public const string HeardHeading = "What I heard";

    /// <summary>The heading of a voice answer's transcript when it is too unreliable to quote.</summary>
    public const string RoughHeading = "Rough transcript (may be wrong)";

    /// <summary>How to get a transcript that can be trusted; shown whenever a transcript is not.</summary>
    public const string AccurateTranscriptAdvice =
        "For an accurate transcript, type your answer instead, or " + TranscriptQuality.EnableWhisperAdvice + ".";

    /// <summary>The note under scores marked as uncertain.</summary>
    public const string UncertainNote =
        "Scores marked ~ are uncertain: they rest on a transcript that may be wrong. Delivery does not depend on the words and stands.";

    /// <summary>How much of a score's reason a card shows beside it.</summary>
    public const int ReasonChars = 200;

    /// <summary>The prefix of an uncertain score.</summary>
    public const string UncertainMark = "~";

    /// <summary>The path of the host's article page, without the id.</summary>
    public const string ArticlePath = "/knowledge/";

    /// <summary>The report shown.</summary>
    public required CoachingReport Report { get; init; }

    /// <summary>The card's first line, when the report has one.</summary>
    public string? Headline { get; init; }

    /// <summary>"Overall 72/100 · good".</summary>
    public required string OverallLine { get; init; }

    /// <summary>"Judged as: self-introduction", when the question type is known.</summary>
    public string? QuestionTypeLine { get; init; }

    /// <summary>The scores, content ones marked when uncertain.</summary>
    public required IReadOnlyList<ScoreLine> Scores { get; init; }

    /// <summary>Whether any score is marked uncertain (then <see cref="UncertainNote"/> is shown under the scores).</summary>
    public bool AnyUncertain => Scores.Any(s => s.Uncertain);

    /// <summary>The transcript section of a voice answer; null for a typed answer.</summary>
    public TranscriptView? Transcript { get; init; }

    /// <summary>The improvements, with their quotes (only when the words can be trusted) and article pointers.</summary>
    public required IReadOnlyList<ImprovementView> Improvements { get; init; }

    /// <summary>Who wrote the advice: "CoachBot's built-in coach" or "ollama (llama3.1:8b)".</summary>
    public required string AdviceBy { get; init; }

    /// <summary>Builds the view of a report.</summary>
    public static ReportView For(CoachingReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var voice = report.Answer.Source == "voice";
        var trusted = !voice || report.Answer.Reliable != false;
        return new ReportView
        {
            Report = report,
            Headline = string.IsNullOrWhiteSpace(report.Headline?.Text) ? null : report.Headline.Text.Trim(),
            OverallLine = $"Overall {report.Overall}/100 · {DimensionScore.LabelFor(report.Overall)}",
            QuestionTypeLine = string.IsNullOrWhiteSpace(report.Question.Type) ? null : "Judged as: " + report.Question.Type.Replace('-', ' ').Replace("strengths weaknesses", "strengths and weaknesses", StringComparison.Ordinal),
            Scores = [.. report.Scores.Select(s => new ScoreLine(s, report.ContentUncertain && s.Name != Dimensions.Delivery))],
            Transcript = voice ? TranscriptView.For(report.Answer) : null,
            Improvements = [.. report.Improvements.Select(i => new ImprovementView(
                i.Title,
                trusted && !string.IsNullOrWhiteSpace(i.Evidence) ? i.Evidence : null,
                i.Suggestion,
                i.Reference is { } reference && !string.IsNullOrWhiteSpace(reference.Title) ? new ArticlePointer(reference.Title, string.IsNullOrWhiteSpace(reference.Id) ? null : reference.Id) : null))],
            AdviceBy = report.Advice.Source == "rules" ? "CoachBot's built-in coach"
                : report.Advice.Model is { } model ? $"{report.Advice.Source} ({model})" : report.Advice.Source,
        };
    }

    /// <summary>A dimension's display name: "Ownership", "Long pauses".</summary>
    public static string DimensionTitle(string name)
    {
        var words = (name ?? string.Empty).Replace('_', ' ').Replace('-', ' ');
        return words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];
    }

    /// <summary>The relative address of an article's page on the host: <c>/knowledge/builtin%3Astar-method-basics</c>.</summary>
    public static string ArticleUrl(string id) => ArticlePath + Uri.EscapeDataString(id);
}

/// <summary>Section titles of a report, the same on every channel.</summary>
public static class ReportTitles
{
    public const string Delivery = "Delivery";
    public const string Tone = "How you came across";
    public const string Strengths = "What went well";
    public const string Improvements = "What to improve";
    public const string MissedPoints = "Points a strong answer also covers";
    public const string ImprovedExample = "A stronger version";
    public const string NextQuestion = "Next question";
}

/// <summary>One score as shown.</summary>
/// <param name="Score">The score.</param>
/// <param name="Uncertain">Whether it rests on an unreliable transcript.</param>
public sealed record ScoreLine(DimensionScore Score, bool Uncertain)
{
    /// <summary>"Structure".</summary>
    public string Title => ReportView.DimensionTitle(Score.Name);

    /// <summary>"62 · fair", or "~62 · fair (uncertain)".</summary>
    public string Value => Uncertain ? $"{ReportView.UncertainMark}{Score.Score} · {Score.Label} (uncertain)" : $"{Score.Score} · {Score.Label}";
}

/// <summary>The transcript of a voice answer as shown.</summary>
/// <param name="Heading"><see cref="ReportView.HeardHeading"/>, or <see cref="ReportView.RoughHeading"/> when it cannot be trusted.</param>
/// <param name="Text">The transcript; empty when nothing was made out.</param>
/// <param name="Quoted">Whether it may be presented as the user's own words (quoted). False: plain, under the rough heading.</param>
/// <param name="EngineLine">"Transcribed by PocketSphinx · confidence 41%".</param>
/// <param name="Advice">How to get an accurate transcript, when this one cannot be trusted.</param>
public sealed record TranscriptView(string Heading, string Text, bool Quoted, string EngineLine, string? Advice)
{
    /// <summary>The view of an answer's transcript.</summary>
    public static TranscriptView For(ReportAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var engine = "Transcribed by " + EngineName(answer.Engine);
        if (answer.Confidence is { } confidence)
        {
            engine += " · confidence " + Math.Round(Math.Clamp(confidence, 0, 1) * 100).ToString("0", CultureInfo.InvariantCulture) + "%";
        }

        if (answer.DurationSeconds is { } seconds)
        {
            engine += " · " + seconds.ToString("0", CultureInfo.InvariantCulture) + " s";
        }

        var trusted = answer.Reliable != false;
        return new TranscriptView(
            trusted ? ReportView.HeardHeading : ReportView.RoughHeading,
            answer.Text.Trim(),
            trusted,
            engine,
            trusted ? null : ReportView.AccurateTranscriptAdvice);
    }

    /// <summary>The engine's name as people know it.</summary>
    public static string EngineName(string? engine) => engine switch
    {
        null or "" => "an unnamed transcriber",
        "pocketsphinx" => "PocketSphinx",
        "whisper.cpp" => "Whisper (whisper.cpp)",
        "whisper-api" => "Whisper (API)",
        _ => engine,
    };
}

/// <summary>An improvement as shown.</summary>
/// <param name="Title">What to improve.</param>
/// <param name="Evidence">The quote it is about, labelled <see cref="ReportView.EvidenceLabel"/>; null when there is none or the transcript cannot be trusted.</param>
/// <param name="Suggestion">What to do instead.</param>
/// <param name="Article">The article to read, when one was found.</param>
public sealed record ImprovementView(string Title, string? Evidence, string Suggestion, ArticlePointer? Article);

/// <summary>An improvement's "More in …" pointer.</summary>
/// <param name="Title">The article's title.</param>
/// <param name="Id">The article's id in the knowledge store (its source); null when it cannot be opened.</param>
public sealed record ArticlePointer(string Title, string? Id)
{
    /// <summary>"More in: STAR method basics".</summary>
    public string Label => "More in: " + Title;

    /// <summary>"Read: STAR method basics" (a button's text).</summary>
    public string ButtonText => "Read: " + Title;
}
