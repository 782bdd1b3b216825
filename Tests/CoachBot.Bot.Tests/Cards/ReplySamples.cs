using CoachBot.Coaching.Groups;
using CoachBot.Coaching.Mock;
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
            ["report-voice-rough"] = Report(RoughVoiceReport()),
            ["report-voice-reliable"] = Report(ReliableVoiceReport()),
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
            ["group-round"] = new() { Kind = TurnReplyKind.GroupRound, Text = "Group practice started.\n" + next.Text, Question = next, Group = Round(next) },
            ["group-round-worst"] = new()
            {
                Kind = TurnReplyKind.GroupRound, Text = "Question 2 of 3.",
                Group = Round(new ReportNextQuestion("custom-2", Hostile + new string('q', 3_000))) with { QuestionNumber = 2, QuestionCount = 3 },
            },
            ["group-reminder"] = new() { Kind = TurnReplyKind.GroupReminder, Text = "Reminder", Question = next, Group = Round(next) with { Answered = ["29:a"] } },
            ["group-report-public"] = Report(TextReport()) with { Group = Round(next) with { PublicFeedback = true, AnswerCount = 2 } },
            ["group-summary"] = new() { Kind = TurnReplyKind.GroupSummary, Text = "Round wrapped up", Group = Round(next) with { Summary = Summary(next, worst: false) } },
            ["group-summary-worst"] = new() { Kind = TurnReplyKind.GroupSummary, Text = "Round wrapped up", Group = Round(next) with { Summary = Summary(next, worst: true) } },
            ["mock-question-heard"] = new()
            {
                Kind = TurnReplyKind.Question, InMockInterview = true, Question = next, MockStep = new MockStep(3, 5, false),
                Text = $"I couldn't hear that reliably (pocketsphinx, confidence 41%); the rough transcript is “{Hostile}”.\nQuestion 3 of 5:\n{next.Text}",
            },
            ["mock-report"] = MockReport(worst: false),
            ["mock-report-worst"] = MockReport(worst: true),
            ["group-summary-empty"] = new()
            {
                Kind = TurnReplyKind.GroupSummary, Text = "Round wrapped up: 0 participants",
                Group = Round(next) with { Summary = new GroupSummary([], 0, [next], null, [], [], [], []) },
            },
        };
    }

    public static GroupReply Round(ReportNextQuestion question) => new()
    {
        RoundId = 7, ThreadId = "root-1", Question = question, QuestionNumber = 1, QuestionCount = 1,
        Deadline = new DateTimeOffset(2026, 1, 6, 17, 0, 0, TimeSpan.Zero), FacilitatorId = "29:fac", Role = "software-engineer",
    };

    public static GroupSummary Summary(ReportNextQuestion question, bool worst)
    {
        var quote = worst ? string.Concat(Enumerable.Repeat(Hostile + " ", 40)) : "cut build time from 40 to 12 minutes";
        var members = worst ? Enumerable.Range(0, 200).Select(i => $"29:m{i}").ToList() : ["29:a", "29:b", "29:c"];
        return new GroupSummary(
            members,
            members.Count,
            worst ? [.. Enumerable.Repeat(new ReportNextQuestion("custom", quote), 10)] : [question],
            68.7,
            [new GroupAverage("relevance", 80.3, 3), new GroupAverage("structure", 61.0, 3), new GroupAverage("delivery", 55.5, 1)],
            [new GroupTheme(worst ? quote : "Concrete result with numbers", 2, quote)],
            [new GroupTheme(worst ? quote : "Set the scene first", 3, quote), new GroupTheme("Say what you learned", 2, null)],
            worst ? [.. Enumerable.Repeat(new GroupHighlight("29:m1", quote, 90), 20)] : [new GroupHighlight("29:a", quote, 81), new GroupHighlight(null, "we shipped on time", 75)]);
    }

    /// <summary>A mock report card with an answer not heard reliably; at worst 12 questions with follow-ups and hostile question text.</summary>
    public static TurnReply MockReport(bool worst)
    {
        var typed = TextReport();
        var rough = RoughVoiceReport();
        var answers = Enumerable.Range(0, worst ? 12 : 3)
            .SelectMany(i => (MockAnswer[])
            [
                new(i, false, worst ? Hostile + new string('q', 2_000) : $"Question {i + 1}?", worst ? [.. Enumerable.Range(0, 8).Select(c => "competency-" + c)] : ["ownership"], i == 1 ? rough : i == 2 ? null : typed),
                .. worst ? [new MockAnswer(i, true, Hostile, ["ownership"], typed)] : Array.Empty<MockAnswer>(),
            ])
            .ToList();
        var previous = worst ? [new MockSummary("m0", Hostile, 40, 5, DateTimeOffset.UnixEpoch)] : Array.Empty<MockSummary>();
        var card = MockReportCards.Build("m1", worst ? Hostile : "software-engineer", worst ? 12 : 3, answers, previous, DateTimeOffset.UnixEpoch);
        return new TurnReply { Kind = TurnReplyKind.MockReport, Text = MockReportText.Describe(card), Mock = card };
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

    /// <summary>An improved example from the rule-based coach: the user's facts with bracketed gaps.</summary>
    public const string ExampleWithGaps = "Last year I led our migration to a new CI system. [The situation: why it mattered.] I split the test suite. [the result, with a number]";

    /// <summary>The article every pointer of the samples names (a built-in article, so the host and the CLI can open it).</summary>
    public static readonly ReportReference StarArticle = new("Use STAR as a skeleton, not a script", "builtin:star-method-basics") { Id = "builtin:star-method-basics" };

    /// <summary>A voice answer PocketSphinx transcribed with low confidence: not to be quoted as what the user said.</summary>
    public static CoachingReport RoughVoiceReport() => VoiceReport() with
    {
        Headline = new ReportHeadline("unreliable_transcript", "I couldn't make out your words reliably, so the content scores below are a rough guess."),
        ContentUncertain = true,
        Question = TextReport().Question with { Type = "story" },
        Answer = new ReportAnswer("at our micro art and yahoo when your country", "voice", 11.2) { Engine = "pocketsphinx", Confidence = 0.41, Reliable = false },
        Scores = [.. TextReport().Scores, new DimensionScore("delivery", 58, "fair", "Fast, with fillers.", [])],
        Improvements =
        [
            new Improvement("Set the scene first", "at our micro art", "Open with why the migration mattered to the team.") { Reference = StarArticle, Dimension = "structure" },
            new Improvement("Slow down", string.Empty, "Aim for about 140 words a minute.") { Reference = new ReportReference("Pace", "pace.md") { Id = "pace.md" }, Dimension = "delivery" },
        ],
        ImprovedExample = ExampleWithGaps,
        Advice = new AdviceSource("rules", null),
    };

    /// <summary>The same answer transcribed by Whisper with high confidence: quoted as heard.</summary>
    public static CoachingReport ReliableVoiceReport() => RoughVoiceReport() with
    {
        Headline = null,
        ContentUncertain = false,
        Answer = new ReportAnswer("um so last year I uh led our migration to a new CI system", "voice", 11.2) { Engine = "whisper.cpp", Confidence = 0.93, Reliable = true },
        Improvements =
        [
            new Improvement("Set the scene first", "last year I uh led our migration", "Open with why the migration mattered to the team.") { Reference = StarArticle, Dimension = "structure" },
        ],
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
            Improvements = [.. Enumerable.Repeat(new Improvement(Hostile, longText[..5_000], longText[..5_000]) { Reference = new ReportReference(Hostile + longText[..300], "x") { Id = "builtin:" + Hostile } }, 20)],
            Headline = new ReportHeadline("off_topic", longText[..3_000]),
            ContentUncertain = true,
            MissedPoints = [.. Enumerable.Repeat(Hostile, 30)],
            ImprovedExample = longText,
            Warnings = [.. Enumerable.Repeat(longText[..1_000], 10)],
            References = [.. Enumerable.Repeat(new ReportReference(Hostile, "builtin:x"), 10)],
            NextQuestion = new ReportNextQuestion("custom-2", longText[..4_000]),
        };
    }
}
