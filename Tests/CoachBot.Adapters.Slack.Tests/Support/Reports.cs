using CoachBot.Coaching.Groups;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Sessions;

namespace CoachBot.Adapters.Slack.Tests.Support;

/// <summary>Report builders: a typical one and worst cases (everything at once, as long as it gets).</summary>
public static class Reports
{
    public static CoachingReport Typical(bool voice) => new()
    {
        Question = new ReportQuestion("gen-001", "Tell me about yourself.", "general", "behavioral", "bank"),
        Answer = new ReportAnswer("I led the migration of our CI system and cut build time from 40 to 12 minutes.", voice ? "voice" : "text", voice ? 11.2 : null) { Engine = voice ? "pocketsphinx" : null },
        Overall = 68,
        Scores = [new DimensionScore("relevance", 80, "strong", "On topic.", []), new DimensionScore("structure", 55, "fair", "Missing result.", [])],
        Delivery = voice ? new DeliveryReport(11.2, 10.1, 25, 142, 3.9, 4, 1, new FillerReport(3, 16.1, 0.12, ["um", "like"]), 0, 0, new PitchReport(140, 3.2), new EnergyReport(-22, 4.5), ["fast"]) : null,
        Emotions = voice ? new EmotionReport(71, 55, 60, 50, "confidence", new Dictionary<string, IReadOnlyList<string>>()) : null,
        Strengths = ["Concrete numbers."],
        Improvements = [new Improvement("Say what you did", "we did", "Use I for your own actions.")],
        MissedPoints = ["Your motivation for the role"],
        NextQuestion = new ReportNextQuestion("gen-002", "Why do you want this job?"),
        Advice = new AdviceSource("rules", null),
        Warnings = [],
    };

    /// <summary>Every list full and every text far too long; with <paramref name="escapes"/> the texts are made of characters that need escaping.</summary>
    public static CoachingReport WorstCase(bool escapes = false)
    {
        string Long(int n) => escapes ? string.Concat(Enumerable.Repeat("<&>", n / 3 + 1)) : string.Concat(Enumerable.Repeat("word 😀 ", n / 7 + 1));
        return Typical(voice: true) with
        {
            // With escapes the transcript is one too unreliable to quote: shown as a rough transcript, with the headline.
            Answer = new ReportAnswer(Long(20_000), "voice", 600) { Engine = Long(200), Confidence = 0.2, Reliable = escapes ? false : null },
            Headline = new ReportHeadline("unreliable_transcript", Long(5_000)),
            ContentUncertain = true,
            Question = new ReportQuestion("gen-001", Long(5_000), "general", "behavioral", "bank") { Type = Long(300) },
            Scores = [.. Enumerable.Range(0, 14).Select(i => new DimensionScore(Long(300), i * 7, Long(300), Long(2_000), [Long(500)]))],
            Delivery = new DeliveryReport(600, 590, 2_000, 200, 5, 300, 120, new FillerReport(400, 40, 0.2, [.. Enumerable.Range(0, 20).Select(_ => Long(50))]), 50, 50, new PitchReport(120, 6), new EnergyReport(-20, 8), [.. Enumerable.Range(0, 20).Select(_ => Long(200))]),
            Emotions = new EmotionReport(10, 20, 30, 40, Long(200), new Dictionary<string, IReadOnlyList<string>>()),
            Strengths = [.. Enumerable.Range(0, 20).Select(_ => Long(1_000))],
            Improvements = [.. Enumerable.Range(0, 30).Select(_ => new Improvement(Long(500), Long(3_000), Long(3_000)) { Reference = new ReportReference(Long(300), "x") { Id = Long(1_900) } })],
            MissedPoints = [.. Enumerable.Range(0, 30).Select(_ => Long(800))],
            ImprovedExample = Long(6_000),
            NextQuestion = new ReportNextQuestion("gen-002", Long(5_000)),
            Advice = new AdviceSource(Long(300), Long(300)),
            Warnings = [.. Enumerable.Range(0, 10).Select(_ => Long(800))],
            References = [.. Enumerable.Range(0, 10).Select(_ => new ReportReference(Long(300), "builtin:x"))],
        };
    }

    /// <summary>A long article with headings, lists and characters that need escaping.</summary>
    public static (string Title, string Text) LongArticle() =>
        (string.Concat(Enumerable.Repeat("Use STAR <&> ", 30)),
         string.Join("\n\n", Enumerable.Range(0, 120).Select(i => i % 5 == 0 ? $"## Part {i} <b>" : $"Paragraph {i} says <!channel> & *more* about [the result, with a number]. " + string.Concat(Enumerable.Repeat("word ", 60)))));

    public static IEnumerable<TurnReply> AllReplyKinds()
    {
        var longText = string.Concat(Enumerable.Repeat("<!channel> & more ", 600));
        var question = new ReportNextQuestion("gen-002", longText);
        yield return new TurnReply { Kind = TurnReplyKind.Report, Text = "x", Report = Typical(voice: false) };
        yield return new TurnReply { Kind = TurnReplyKind.Question, Text = "Next question:\n" + question.Text, Question = question };
        yield return new TurnReply { Kind = TurnReplyKind.Hint, Text = longText, Question = question, Points = [.. Enumerable.Range(0, 40).Select(_ => longText)] };
        yield return new TurnReply { Kind = TurnReplyKind.Progress, Text = "progress", Progress = new ProgressSummary(3, 61, new Dictionary<string, int>(), new ProgressTrend("improving", 4.5, 3), "structure", []) };
        yield return new TurnReply { Kind = TurnReplyKind.Progress, Text = "progress", Progress = new ProgressSummary(0, null, new Dictionary<string, int>(), new ProgressTrend("not enough data", null, 0), null, []) };
        yield return new TurnReply { Kind = TurnReplyKind.Text, Text = longText };
        yield return new TurnReply { Kind = TurnReplyKind.Confirm, Text = longText };
        yield return TurnReply.Failure("audio_rejected", longText);
        var round = Round(question);
        yield return new TurnReply { Kind = TurnReplyKind.GroupRound, Text = "Group practice started by <@UFAC0001>.\n" + longText, Question = question, Group = round };
        yield return new TurnReply { Kind = TurnReplyKind.GroupRound, Text = "Question 2 of 5.", Question = question, Group = round with { ThreadId = "1700000500.000500", QuestionNumber = 2 } };
        yield return new TurnReply { Kind = TurnReplyKind.Report, Text = "x", Report = WorstCase(escapes: true), Group = round with { ThreadId = "1.1", AnswerCount = 3 } };
        yield return new TurnReply { Kind = TurnReplyKind.GroupReminder, Text = longText, Question = question, Group = round with { ThreadId = "1.1", Answered = ["UAAA0001"] } };
        yield return new TurnReply { Kind = TurnReplyKind.GroupSummary, Text = longText, Group = round with { ThreadId = "1.1", Summary = WorstCaseSummary(longText) } };
        yield return new TurnReply
        {
            Kind = TurnReplyKind.GroupSummary, Text = "empty", Group = round with { ThreadId = "1.1", Summary = new GroupSummary([], 0, [question], null, [], [], [], []) },
        };
    }

    /// <summary>A round as replies carry it.</summary>
    public static GroupReply Round(ReportNextQuestion question) => new()
    {
        RoundId = 7,
        Question = question,
        QuestionNumber = 1,
        QuestionCount = 5,
        Deadline = new DateTimeOffset(2030, 1, 2, 15, 30, 0, TimeSpan.Zero),
        FacilitatorId = "UFAC0001",
        Role = "software-engineer",
    };

    /// <summary>A summary with every list full and every text too long (user text made of characters that need escaping).</summary>
    public static GroupSummary WorstCaseSummary(string longText) => new(
        [.. Enumerable.Range(0, 400).Select(i => $"U{i:D8}")],
        1_200,
        [.. Enumerable.Range(0, 5).Select(i => new ReportNextQuestion($"q{i}", longText))],
        61.3,
        [.. Enumerable.Range(0, 14).Select(i => new GroupAverage(longText[..(i + 40)], 55.5 + i, 3))],
        [new GroupTheme(longText, 3, longText), new GroupTheme("<!here> strength", 2, "<@U999> said <!channel>")],
        [new GroupTheme(longText, 3, longText), new GroupTheme("Quantify", 2, null)],
        [.. Enumerable.Range(0, 12).Select(i => new GroupHighlight(i % 2 == 0 ? $"U{i:D8}" : null, longText, 90 - i))]);
}
