using CoachBot.Adapters.Slack.Rendering;
using CoachBot.Bot.DevChat;
using CoachBot.Bot.Tests.Cards;
using CoachBot.Cards.Adaptive;
using CoachBot.Coaching.Mock;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Reports;

namespace CoachBot.Bot.Tests.Mock;

/// <summary>The mock report card built from stored answers and drawn on every channel (Adaptive Card, Block Kit, text).</summary>
public sealed class MockReportCardTests
{
    private static readonly DateTimeOffset Finished = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void UnreliableSpokenAnswer_IsMarkedUncertainNextToItsFigures_AndNeverQuotedOrStrongest_OnEveryChannel()
    {
        var typed = ReplySamples.TextReport() with { Overall = 70 };
        // Scored higher than the typed answer: a rough transcript must still not become the "strongest answer".
        var rough = ReplySamples.RoughVoiceReport() with { Overall = 88 };
        var answers = new List<MockAnswer>
        {
            new(0, false, "Tell me about a project you are proud of.", ["ownership", "communication"], typed),
            new(1, false, "How do you handle an objection on price?", ["negotiation", "communication"], rough),
        };

        var card = MockReportCards.Build("m1", "sales", 2, answers, [], Finished);

        Assert.Equal(1, card.Uncertain);
        Assert.Equal([false, true], card.Answers.Select(a => a.Uncertain));
        Assert.Equal(1, card.Competencies.Single(c => c.Name == "negotiation").Uncertain);
        Assert.Equal(1, card.Competencies.Single(c => c.Name == "communication").Uncertain);
        Assert.Equal(0, card.Competencies.Single(c => c.Name == "ownership").Uncertain);
        Assert.Equal(1, card.Criteria.Single(c => c.Name == "content").Uncertain);
        Assert.Equal(0, card.Criteria.Single(c => c.Name == "delivery").Uncertain);
        Assert.Equal(70, card.Strongest!.Overall);
        Assert.False(card.Strongest.Uncertain);
        Assert.DoesNotContain(card.WorkOn, w => w.Question == answers[1].QuestionText);

        foreach (var (channel, texts) in Rendered(card))
        {
            var all = string.Join('\n', texts);
            // The rough transcript is never quoted, in "things to work on" or anywhere else.
            Assert.False(all.Contains("micro art", StringComparison.Ordinal) || all.Contains("yahoo", StringComparison.Ordinal), $"{channel}: {all}");
            // Next to that answer's figure, and on the means it is part of.
            Assert.True(texts.Exists(t => t.Contains("Q2", StringComparison.Ordinal) && t.Contains("88/100 (uncertain: not heard reliably)", StringComparison.Ordinal)), $"{channel}: {all}");
            Assert.True(texts.Exists(t => t.Contains("Q1", StringComparison.Ordinal) && t.Contains("70/100", StringComparison.Ordinal) && !t.Contains("uncertain", StringComparison.Ordinal)), $"{channel}: {all}");
            Assert.True(all.Contains("1 spoken answer was not heard reliably", StringComparison.Ordinal), $"{channel}: {all}");
            Assert.True(all.Contains("1 uncertain", StringComparison.Ordinal) || all.Contains("1 of 2 uncertain", StringComparison.Ordinal), $"{channel}: {all}");
        }
    }

    [Fact]
    public void EveryAnswerUnreliable_StrongestIsMarkedUncertain_WithoutAQuote()
    {
        var rough = ReplySamples.RoughVoiceReport();

        var card = MockReportCards.Build("m1", "sales", 1, [new MockAnswer(0, false, "Q", ["negotiation"], rough)], [], Finished);

        Assert.True(card.Strongest!.Uncertain);
        Assert.Equal(string.Empty, card.Strongest.Quote);
        Assert.Empty(card.WorkOn);
        Assert.Contains("uncertain", MockReportText.Describe(card), StringComparison.Ordinal);
    }

    [Fact]
    public void WorkOn_NamesThreeThings_FlagsTheSkippedQuestion_AndNeverPointsAtAMissingSentence()
    {
        var vague = ReplySamples.TextReport() with
        {
            Overall = 40,
            Improvements =
            [
                new Improvement("Cover what the interviewer is listening for", string.Empty, "Still missing: DNS. Add it next to this sentence, in a sentence or two of your own.") { Dimension = "relevance" },
                new Improvement("Name the steps", "some networking stuff", "Say what the networking involves.") { Dimension = "specificity" },
                new Improvement("Make it concrete", "servers and so on", "Name the servers.") { Dimension = "specificity" },
            ],
        };
        var story = ReplySamples.TextReport() with
        {
            Overall = 75,
            Improvements = [new Improvement("Finish with the result", "we shipped it", "Say what changed, with a number.") { Dimension = "structure" }],
        };
        var answers = new List<MockAnswer>
        {
            new(0, false, "Explain what happens when you type a web address.", ["technical-depth"], vague),
            new(1, false, "Tell me about a project you are proud of.", ["ownership"], story),
            new(2, false, "Why this company?", ["motivation"], null),
        };

        var card = MockReportCards.Build("m1", "software-engineer", 3, answers, [], Finished);

        Assert.Equal(3, card.WorkOn.Count);
        Assert.Contains(card.WorkOn, w => w.Title == "Answer every question" && w.Suggestion.Contains("Why this company?", StringComparison.Ordinal));
        Assert.DoesNotContain(card.WorkOn, w => w.Quote.Length == 0 && w.Suggestion.Contains("this sentence", StringComparison.Ordinal));
        Assert.Equal(["motivation"], card.NotAssessed);
        Assert.Contains("Not assessed (skipped): motivation", MockReportText.Describe(card), StringComparison.Ordinal);
    }

    [Fact]
    public void Comparison_WithAnInterviewForAnotherRole_SaysSoAndDoesNotCompare()
    {
        var answers = new List<MockAnswer> { new(0, false, "Q", ["ownership"], ReplySamples.TextReport() with { Overall = 45 }) };
        var earlier = new MockSummary("m0", "software-engineer", 53, 5, Finished.AddHours(-1));

        var card = MockReportCards.Build("m1", "sales", 1, answers, [earlier], Finished);

        Assert.Null(card.Comparison.Change);
        Assert.Equal(0, card.Comparison.Previous);
        Assert.Equal(earlier, card.Comparison.OtherKind);
        Assert.Contains("first sales mock interview", card.Comparison.Text, StringComparison.Ordinal);
        Assert.Contains("software-engineer (53/100)", card.Comparison.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Down", card.Comparison.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Comparison_ComparesWithTheLastInterviewOfTheSameRole_SkippingOtherRoles()
    {
        var answers = new List<MockAnswer> { new(0, false, "Q", ["ownership"], ReplySamples.TextReport() with { Overall = 45 }) };
        MockSummary[] earlier =
        [
            new("m0", "sales", 40, 5, Finished.AddHours(-3)),
            new("m1", "software-engineer", 80, 5, Finished.AddHours(-1)),
        ];

        var card = MockReportCards.Build("m2", "sales", 1, answers, earlier, Finished);

        Assert.Equal(40, card.Comparison.LastReadiness);
        Assert.Equal(5, card.Comparison.Change);
        Assert.Contains("Up 5 points on your last sales mock interview (40 → 45)", card.Comparison.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void WelcomeCard_ListsPlansAndMockInterviewsWithWhatTheBotDoes()
    {
        var texts = string.Join('\n', ReportOnEveryChannelTests.CardTexts(AdaptiveCards.Welcome(DevChatReplier.Options)));

        Assert.Contains("interview plan from your résumé", texts, StringComparison.Ordinal);
        Assert.Contains("mock start", texts, StringComparison.Ordinal);
        Assert.Contains("plan job:", texts, StringComparison.Ordinal);
    }

    private static Dictionary<string, List<string>> Rendered(MockReportCard card)
    {
        var reply = new TurnReply { Kind = TurnReplyKind.MockReport, Text = MockReportText.Describe(card), Mock = card };
        static List<string> Lines(IEnumerable<string> texts) => [.. texts.SelectMany(t => t.Split('\n'))];
        return new Dictionary<string, List<string>>
        {
            ["slack"] = Lines(ReportOnEveryChannelTests.SlackTexts(BlockKitRenderer.Render(reply).Blocks)),
            ["teams"] = Lines(ReportOnEveryChannelTests.CardTexts(AdaptiveCards.ForReply(reply, new CardOptions(CanRecord: false)))),
            ["devchat"] = Lines(ReportOnEveryChannelTests.CardTexts(AdaptiveCards.ForReply(reply, DevChatReplier.Options))),
            ["text"] = Lines([reply.Text]),
        };
    }
}
