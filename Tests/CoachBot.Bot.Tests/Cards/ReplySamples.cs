using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Sessions;

namespace CoachBot.Bot.Tests.Cards;

/// <summary>One reply of every kind the bot sends, including worst cases (very long and hostile text).</summary>
public static class ReplySamples
{
    /// <summary>Text a user could type to break out of plain text: markdown links, mentions, HTML.</summary>
    public const string Hostile = "[click me](https://evil.example) **bold** <at>everyone</at> <!channel> <script>alert(1)</script> & done";

    public static IReadOnlyDictionary<string, TurnReply> All()
    {
        var next = new ReportNextQuestion("se-behavioral-002", "Tell me about a time you disagreed with a teammate.");
        return new Dictionary<string, TurnReply>
        {
            ["report-text"] = Report(TextReport()),
            ["report-voice"] = Report(VoiceReport()),
            ["report-worst"] = Report(WorstCase()),
            ["question"] = new() { Kind = TurnReplyKind.Question, Text = "Next question:\n" + next.Text, Question = next },
            ["hint"] = new()
            {
                Kind = TurnReplyKind.Hint, Text = "Hint", Question = next,
                Points = ["Describe the disagreement and what was at stake", "Show how you listened", "Say how it was resolved and what you learned"],
            },
            ["progress-empty"] = new() { Kind = TurnReplyKind.Progress, Text = "No coached answers yet. Say “start” to practise.", Progress = new ProgressSummary(0, null, new Dictionary<string, int>(), new ProgressTrend("not enough data", null, 0), null, []) },
            ["progress"] = new()
            {
                Kind = TurnReplyKind.Progress, Text = "3 answers",
                Progress = new ProgressSummary(3, 71, new Dictionary<string, int> { ["relevance"] = 80, ["structure"] = 62 }, new ProgressTrend("improving", 6.5, 3), "structure", []),
            },
            ["confirm"] = new() { Kind = TurnReplyKind.Confirm, Text = "This deletes your practice history. Reply “forget me confirm” to go ahead." },
            ["error"] = TurnReply.Failure("unknown_command", "I don't know the command “" + Hostile + "”.\nCommands: start · next · help"),
            ["text"] = new() { Kind = TurnReplyKind.Text, Text = TurnProcessorHelp },
        };
    }

    private const string TurnProcessorHelp = "I'm CoachBot.\nCommands: start [role] · next · hint";

    private static TurnReply Report(CoachingReport report) => new() { Kind = TurnReplyKind.Report, Text = "Overall " + report.Overall, Report = report };

    public static CoachingReport TextReport() => new()
    {
        Question = new ReportQuestion("se-behavioral-001", "Tell me about a project you are proud of.", "software-engineer", "behavioral", "bank"),
        Answer = new ReportAnswer("Last year I led our migration to a new CI system and cut build time from 40 to 12 minutes.", "text", null),
        Overall = 72,
        Scores =
        [
            new DimensionScore("relevance", 85, "strong", "You answered the question asked.", ["led our migration"]),
            new DimensionScore("structure", 60, "fair", "The result comes without the situation.", []),
            new DimensionScore("specificity", 78, "good", "Numbers make it concrete.", ["40 to 12 minutes"]),
        ],
        Strengths = ["Concrete result with numbers"],
        Improvements = [new Improvement("Set the scene first", "Last year I led our migration", "Open with why the migration mattered to the team.")],
        MissedPoints = ["What you learned"],
        NextQuestion = new ReportNextQuestion("se-behavioral-002", "Tell me about a time you disagreed with a teammate."),
        Advice = new AdviceSource("rules", null),
        Warnings = [],
    };

    public static CoachingReport VoiceReport() => TextReport() with
    {
        Answer = new ReportAnswer("um so last year I uh led our migration to a new CI system", "voice", 11.2) { Engine = "pocketsphinx" },
        Delivery = new DeliveryReport(11.2, 9.8, 13, 142, 4.1, 4, 1, new FillerReport(2, 10.7, 0.15, ["um", "uh"]), 0, 0, new PitchReport(128, 3.4), new EnergyReport(-22, 5.5), ["too many fillers"]),
        Emotions = new EmotionReport(64, 55, 70, 60, "calm", new Dictionary<string, IReadOnlyList<string>> { ["confidence"] = ["steady pace"] }),
        ImprovedExample = "Last year our builds took 40 minutes, which slowed every release. I led the migration to a new CI system…",
        Advice = new AdviceSource("ollama", "llama3.1:8b"),
        References = [new ReportReference("The STAR method", "builtin:star-method")],
        Warnings = ["The recording was quiet; the transcript may have errors."],
    };

    public static CoachingReport WorstCase()
    {
        var longText = string.Concat(Enumerable.Repeat(Hostile + " and then we shipped it to production on time. ", 300));
        return VoiceReport() with
        {
            Question = new ReportQuestion("custom-1", Hostile + " " + new string('q', 3_000), "general", "behavioral", "generic:behavioral"),
            Answer = new ReportAnswer(longText, "voice", 600) { Engine = "pocketsphinx" },
            Scores = [.. Enumerable.Range(0, 12).Select(i => new DimensionScore("dimension_" + i, i * 8, DimensionScore.LabelFor(i * 8), longText[..2_000], [Hostile]))],
            Strengths = [.. Enumerable.Repeat(longText[..3_000], 20)],
            Improvements = [.. Enumerable.Repeat(new Improvement(Hostile, longText[..5_000], longText[..5_000]), 20)],
            MissedPoints = [.. Enumerable.Repeat(Hostile, 30)],
            ImprovedExample = longText,
            Warnings = [.. Enumerable.Repeat(longText[..1_000], 10)],
            References = [.. Enumerable.Repeat(new ReportReference(Hostile, "builtin:x"), 10)],
            NextQuestion = new ReportNextQuestion("custom-2", longText[..4_000]),
        };
    }
}
