using CoachBot.Coaching.Advice;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Scoring;
using CoachBot.Coaching.Scoring.Types;
using CoachBot.Coaching.Tests.Support;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Tests.Scoring;

/// <summary>
/// The core a question hinges on (<c>question-cores.json</c>): an answer that says it in so many words is answering the
/// question, however plainly it is told.
/// </summary>
public sealed class QuestionCoreTests
{
    // A user's middling but on-topic answer to pm-003 from the second try-out, once called off-topic: its plain sentences
    // sit far from every rubric point, yet it says the decision and the data that was missing.
    private const string OfflineModeDecision =
        "We had to decide whether to build an offline mode for our field app. We did not have much usage data because the " +
        "analytics were broken on older phones. I talked to some customers and the sales team, and most of them said offline " +
        "would help. So I decided we should build a small version first. We built it in about six weeks. It went fine and " +
        "people used it, and later we added more to it. I think the main thing was to just make a call instead of waiting " +
        "for perfect data.";

    private static Question Bank(string id) => Support.Bank.BuiltIn.Find(id)!;

    [Fact]
    public async Task Score_MiddlingDecisionStoryThatSaysTheDataWasMissing_IsNotOffTopic()
    {
        var content = await Scorers.Default.ScoreAsync(Bank("pm-003"), OfflineModeDecision, default);

        Assert.False(content.OffTopic);
        Assert.True(content.Overall > ScoringCalibration.OffTopicCap, $"overall {content.Overall}");
    }

    [Fact]
    public void Shown_DecisionStoryForIncompleteDataQuestion_QuotesTheSentenceWithTheMissingData()
    {
        var core = QuestionCores.Shown(Bank("pm-003"), TextDocument.Parse(OfflineModeDecision));

        Assert.NotNull(core);
        Assert.Equal("decision-without-data", core.Id);
        Assert.Contains("did not have much usage data", core.Evidence, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("The launch went smoothly and nothing went wrong. There was no mistake in the figures either.")]
    [InlineData("We closed the deal in six weeks. I never made a single mistake on the contract.")]
    public void Shown_FailureWordsOnlyNegated_IsNotShown(string answer)
    {
        Assert.Null(QuestionCores.Shown(Bank("gen-002"), TextDocument.Parse(answer)));
    }

    [Fact]
    public void Shown_FailureOwned_IsShown()
    {
        var core = QuestionCores.Shown(Bank("gen-002"), TextDocument.Parse("We shipped the report on time. But I got the regional totals wrong and it was my fault."));

        Assert.NotNull(core);
        Assert.Equal("failure", core.Id);
    }

    [Theory]
    [InlineData("gen-002", "failure")]
    [InlineData("swe-001", "disagreement")]
    [InlineData("gen-022", "weakness")]
    [InlineData("swe-005", "feedback-received")]
    [InlineData("pm-003", "decision-without-data")]
    public void Of_BankQuestionOfAKind_HasThatKindsCore(string id, string core)
    {
        Assert.Equal(core, QuestionCores.Of(Bank(id))?.Id);
    }

    [Fact]
    public void Of_DesignQuestion_HasNoCoreListed()
    {
        Assert.Null(QuestionCores.Of(Bank("swe-014")));
    }

    // Told for "a time you dealt with a very angry customer": a fluent process-improvement story with no customer upset in it.
    private const string MacrosStory = "In my last support role I noticed that we were answering the same password-reset and invoice questions dozens of times a day, each agent in their own words. I pulled three months of tickets, grouped them by topic, and found that eight topics made up almost half of our volume. I wrote a short, friendly reply template for each, with the steps and screenshots, and asked two colleagues to test them for a week. We added them as macros in Zendesk. Our first response time went from about four hours to under one, and our satisfaction score rose from 86 to 92 percent. The templates are still used and the team updates them every quarter.";

    [Fact]
    public async Task Score_FluentStoryWithoutTheCoreOfItsQuestion_IsOffTopicAndSaysWhatWasAsked()
    {
        var question = Bank("support-001");

        var content = await Scorers.Default.ScoreAsync(question, MacrosStory, default);
        var advice = RuleBasedCoach.Write(new AdviceRequest(question, content));

        Assert.True(content.OffTopic);
        Assert.Equal("an angry or upset customer", content.CoreNotShown);
        Assert.True(content.Overall <= ScoringCalibration.OffTopicCap, $"overall {content.Overall}");
        Assert.Contains("asks for an angry or upset customer", content[Dimensions.Relevance].Reason, StringComparison.Ordinal);
        Assert.Equal("Answer the question that was asked", advice.Improvements[0].Title);
        Assert.Contains("asks for an angry or upset customer", advice.Improvements[0].Suggestion, StringComparison.Ordinal);
    }

    // Middling and vague answers that do answer their question (the session's own set): never called off-topic.
    [Theory]
    [InlineData("gen-002", "I once failed to check a report properly before it went out. It had some wrong numbers in it and my manager was not happy about it. I felt bad and apologised. After that I started checking my work more carefully and asking a colleague to look at important things. I think it made me more careful overall. It was not a huge deal in the end, but it taught me to slow down a bit when something matters. Now I always double check before I send anything to senior people, and I have not had that problem since.")]
    [InlineData("swe-001", "A teammate and I disagreed about whether to use a new framework for the front end. He wanted to try it and I thought it was too risky for our deadline. We talked about it a few times and did not really agree. In the end we asked our lead, and she decided to stay with what we had for now and try the new one on a smaller project later. I think it was fine. We still work well together and he did try it later on an internal tool. I learned that it is good to talk things through and not take it personally.")]
    [InlineData("pm-004", "We launched a new onboarding flow and on the first day a lot of users could not finish sign-up because of a bug on some Android phones. Support started getting complaints in the morning. I got the engineers together, we turned the new flow off for Android and went back to the old one while they fixed it. I wrote to the support team so they could tell customers what was happening. The fix went out two days later and then things were fine. Afterwards we added more Android devices to our testing, which I think was the main lesson.")]
    [InlineData("sales-002", "There was a deal with a software company that I was sure we would win. We had a few good meetings and they seemed to like the product. But in the end they went with a competitor that was cheaper. I think the timing was also not great because their budget was being cut. I was disappointed because I had spent a lot of time on it. What I learned is to find out earlier who makes the decision and what the budget really is, so I do not spend so much time on deals that are not going to happen.")]
    [InlineData("design-003", "My manager once said my design for a settings page was confusing and too cluttered. It was hard to hear because I had worked on it for a while. I took some time to think about it and then I looked at it again and saw that she had a point. I simplified it and removed some options. The new version was better received. I learned not to take feedback personally and to see it as a way to improve my work, and I try to ask for feedback earlier now.")]
    [InlineData("em-001", "I had an engineer who kept missing his sprint commitments and whose pull requests needed a lot of rework. I talked to him in our one-to-one and it turned out he was struggling with the new codebase and did not want to ask for help. We agreed on smaller tickets for a month and I paired him with a senior engineer twice a week. He improved somewhat, and his reviews got easier, but he was still slower than the rest of the team. After three months he decided to move to another team that worked in a language he knew better, and he is doing well there.")]
    [InlineData("gen-004", "We had a really tight deadline once for a client presentation, we only had a few days. I made a list of what had to be done and split it between the team. We worked some late evenings and I kept checking in with everyone to see how it was going. It was stressful but we got it done in time and the client was happy with it. I think the key was staying organised and keeping calm, and making sure everyone knew what they had to do.")]
    [InlineData("pm-003", "We had to decide whether to add a bulk-edit feature that a few big customers asked for. We did not have usage data on how often people edited many records, because our tracking only logged single edits. I asked support for tickets about it and spoke to five customers. Most said it would save them time, so I decided to build a basic version first and see if people used it. We shipped it in a month. Usage was decent, not huge, and we improved it later. Looking back I would have added tracking earlier so we had better data.")]
    public async Task Score_MiddlingAnswerThatHasItsCore_IsNotOffTopic(string id, string answer)
    {
        var content = await Scorers.Default.ScoreAsync(Bank(id), answer, default);

        Assert.False(content.OffTopic);
        Assert.Null(content.CoreNotShown);
    }

    [Fact]
    public void Missing_SuccessToldForATimeYouFailed_NamesTheFailureAsked()
    {
        var success = TextDocument.Parse("I moved our expense approvals online. Approvals now take two days instead of nine. Two other offices copied it.");

        Assert.Equal(("failure", "a failure or mistake of your own"), QuestionCores.Missing(Bank("gen-002"), success));
        Assert.Null(QuestionCores.Missing(Bank("gen-002"), TextDocument.Parse("The report went out late and the totals were wrong.")));
    }
}
