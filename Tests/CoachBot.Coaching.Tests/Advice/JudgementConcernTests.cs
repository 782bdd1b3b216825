using CoachBot.Coaching.Advice;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Scoring;
using CoachBot.Coaching.Scoring.Types;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Coaching.Tests.Advice;

/// <summary>
/// What a coach raises before any point of form: a weakness that is a strength in disguise, blaming others, running down
/// an employer, pay as the only reason, taking all the credit, a corner cut told with approval. Each is raised first,
/// quotes the sentence that shows it, caps the overall and takes away praise it would contradict; an answer that already
/// owns the problem, or only mentions a word of it in passing, is not accused.
/// </summary>
public sealed class JudgementConcernTests
{
    private const string Failure = "gen-002";
    private const string Weakness = "gen-022";
    private const string WhyCompany = "gen-019";
    private const string Proud = "swe-004";

    private static Question Bank(string id) => Support.Bank.BuiltIn.Find(id)!;

    private static async Task<(ContentAnalysis Content, CoachingAdvice Advice)> CoachAsync(string questionId, string answer)
    {
        var question = Bank(questionId);
        var content = await Scorers.Default.ScoreAsync(question, answer, default);
        return (content, RuleBasedCoach.Write(new AdviceRequest(question, content)));
    }

    [Fact]
    public async Task StockWeakness_IsRaisedFirst_QuotedAndCapped()
    {
        var (content, advice) = await CoachAsync(Weakness,
            "Honestly, my biggest weakness is that I am a perfectionist. When a release is close I stay late polishing the " +
            "last details, rewriting documentation and checking every screen twice, because I want everything to be right. " +
            "Last spring I rebuilt the whole onboarding checklist on a Sunday even though nobody had asked for it. My managers " +
            "have always said the quality of my work is what they value most, so I see it as a good problem to have, and I am " +
            "trying to remind myself that finished matters too.");

        Assert.Equal("cliche-weakness", content.Concern?.Id);
        Assert.Equal("Name a real weakness, not a strength in disguise", advice.Improvements[0].Title);
        Assert.Contains("perfectionist", advice.Improvements[0].Evidence, StringComparison.Ordinal);
        Assert.True(content.Overall <= ScoringCalibration.JudgementCap, $"overall {content.Overall}");
        Assert.DoesNotContain(advice.Strengths, s => s.StartsWith("You answered the question", StringComparison.Ordinal));
        Assert.DoesNotContain("perfectionist", advice.ImprovedExample, StringComparison.Ordinal);
        Assert.Contains("[A real weakness you have had to work on", advice.ImprovedExample, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RealWeaknessWithItsCost_IsNotAccused()
    {
        var (content, _) = await CoachAsync(Weakness,
            "My weakness is that I avoid conflict in meetings. Last year a colleague proposed a database change I thought " +
            "was risky, and I kept quiet; it caused two days of rework after release. Since then I write my concern down " +
            "before the meeting and say it in the first ten minutes, and my lead now asks me for the risks first.");

        Assert.Null(content.Concern);
    }

    [Fact]
    public async Task FailureBlamedOnOthers_IsRaised_AndOwnershipIsNotPraised()
    {
        var (content, advice) = await CoachAsync(Failure,
            "Two years ago we launched a new pricing page and sign-ups fell by a fifth in the first month. The main reason " +
            "was the marketing team, who changed the copy the night before without telling anyone. On top of that the " +
            "developers didn't build the comparison table the way I had specified it, so it broke on phones. I had warned " +
            "about the deadline, but nobody listened. We rolled the page back after five weeks and sign-ups recovered. The " +
            "lesson for me is that you cannot rely on other teams to do their part.");

        Assert.Equal("blames-others", content.Concern?.Id);
        Assert.Equal("Own your part", advice.Improvements[0].Title);
        Assert.DoesNotContain(advice.Strengths, s => s.StartsWith("You make your own part clear", StringComparison.Ordinal));
        // Nor rated good: two blind judges found ownership "strong" beside the tip to own one's part.
        var ownership = Assert.Single(content.Scores, s => s.Name == Dimensions.Ownership);
        Assert.True(ownership.Score < 65, ownership.Reason);
        Assert.Contains("puts what went wrong on others", ownership.Reason, StringComparison.Ordinal);
        Assert.Empty(ownership.Evidence);
        Assert.DoesNotContain(advice.Improvements, i => i.Dimension == Dimensions.Ownership);
    }

    [Fact]
    public async Task FailureWithOneOutsideCauseAndOwnedLesson_IsNotAccused()
    {
        var (content, _) = await CoachAsync(Failure,
            "I ran the migration of our billing data to a new provider and it failed on the first night. The vendor's " +
            "export tool dropped every record with an accent in the name, and I had not tested with real names. I should " +
            "have asked for a sample of the live data, so I stopped the cut-over, wrote a check for every field and ran it " +
            "again a week later without a single lost record. Now every migration I plan starts with a copy of real data.");

        Assert.Null(content.Concern);
    }

    [Fact]
    public async Task EmployerRunDown_IsRaised_ButAMessyCodebaseIsNot()
    {
        var (content, advice) = await CoachAsync(WhyCompany,
            "I want to leave because my current company is a joke. Management is completely clueless and changes the plan " +
            "every week. I have read about your payments platform and the way your teams own their services end to end, " +
            "and I would like to work somewhere that builds things properly.");
        var (fair, _) = await CoachAsync(Proud,
            "When I joined, the codebase was a mess: no tests, and a deploy took a whole afternoon. I wrote the first " +
            "integration tests, moved the build to a pipeline and cut deploys to twelve minutes, which let the team ship " +
            "every day instead of once a fortnight.");

        Assert.Equal("badmouths-employer", content.Concern?.Id);
        Assert.Equal("Leave out the criticism of past employers", advice.Improvements[0].Title);
        Assert.Null(fair.Concern);
    }

    [Fact]
    public async Task PayAsTheReason_IsRaised_ButOneMentionAmongReasonsAboutTheWorkIsNot()
    {
        var (content, advice) = await CoachAsync(WhyCompany,
            "Mainly the salary, to be honest. You pay about twenty percent more than my current employer and the bonus " +
            "is generous. The benefits package and working from home two days a week also matter a lot to me. I know you " +
            "make software for dentists.");
        var (work, _) = await CoachAsync(WhyCompany,
            "I have spent four years building scheduling tools for clinics, and your product solves the problem I kept " +
            "running into: dentists losing a fifth of their slots to no-shows. I read your write-up on the reminder " +
            "experiments and would like to work on that kind of measured product change. Your team's habit of shipping " +
            "small weekly releases suits how I work best. The salary is fair, but it is the product that made me apply.");

        Assert.Equal("money-only", content.Concern?.Id);
        Assert.Equal("Lead with why the work appeals", advice.Improvements[0].Title);
        Assert.Null(work.Concern);
    }

    [Fact]
    public async Task WorkStoryAboutBudgetsAndPaidChannels_IsNotTakenForPayAsTheReason()
    {
        // A user's try-out: "paid social", "budget" and "customer base" in an analysis story were read as pay and perks.
        var (content, advice) = await CoachAsync("data-019",
            "Our marketing team was about to double the budget for paid social, because the dashboard showed it bringing in " +
            "the most sign-ups. I joined the sign-ups to the billing data and found that people from paid social cancelled " +
            "within a month twice as often as people from search, so per paying customer it was the most expensive channel we " +
            "had. I showed the team the cost per retained customer by channel, and we moved half of the extra spend to search " +
            "and partnerships instead. Three months later our customer base had grown faster than in any quarter before.");

        Assert.NotEqual("money-only", content.Concern?.Id);
        Assert.DoesNotContain(advice.Improvements, i => i.Title == "Lead with why the work appeals");
    }

    [Fact]
    public async Task CornerCutToldWithApproval_IsRaised_ButNotWhenOwnedAsTheWrongCall()
    {
        const string story =
            "Our biggest customer needed a fix before their board meeting on Monday morning. I skipped the code review and " +
            "pushed the change straight to production on Sunday night so it would be live in time. It worked, the customer " +
            "renewed for two more years and my manager thanked me at the all-hands.";
        var (content, _) = await CoachAsync(Proud, story);
        var (owned, _) = await CoachAsync(Proud, story + " In hindsight it was the wrong call, and now I ask a second engineer to review even at night.");

        Assert.Equal("ethics", content.Concern?.Id);
        Assert.Null(owned.Concern);
    }

    [Fact]
    public async Task FailureOfASkippedReview_OwnedAsTheSpeakersMistake_IsNotAccused()
    {
        var (content, _) = await CoachAsync(Failure,
            "In my second year as an analyst I was asked to build a forecast for next quarter's support staffing. I " +
            "was confident in my model, so I skipped a review with the support leads and sent the numbers straight to " +
            "finance. It turned out I had used ticket counts that excluded chat, which was a third of the volume. The " +
            "team was understaffed for the first three weeks of the quarter, response times doubled, and my manager " +
            "had to ask for emergency contractors. I owned the mistake in the next leadership meeting, rebuilt the " +
            "model with the chat data, and set up a monthly check with the support leads. What I learned is that " +
            "confidence in a model is not the same as validation, and that the people closest to the work will catch " +
            "things a dataset cannot show me. Now I never ship a forecast without someone from the team it affects " +
            "looking at it first.");

        Assert.Null(content.Concern);
    }

    [Fact]
    public async Task AllTheCreditClaimed_IsRaised()
    {
        var (content, advice) = await CoachAsync(Proud,
            "I rebuilt our search service so results came back in under a second instead of four. The design was all mine; " +
            "the other two engineers just implemented what I specified. I chose the index layout, wrote the ranking and ran " +
            "the load tests, and search usage doubled in the next quarter.");

        Assert.Equal("takes-credit", content.Concern?.Id);
        Assert.Equal("Credit the people who helped", advice.Improvements[0].Title);
        // Three own actions would rate ownership strong; claiming the others' part does not make one's own part clear.
        var ownership = Assert.Single(content.Scores, s => s.Name == Dimensions.Ownership);
        Assert.True(ownership.Score < 65, ownership.Reason);
        Assert.Contains("others' part", ownership.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(advice.Improvements, i => i.Dimension == Dimensions.Ownership);
    }

    [Theory]
    [InlineData(Failure, "ethics", "We had an audit and were missing three months of access-review logs. I wrote a script that generated the records and backdated them so they looked monthly. The auditors accepted them, we passed and kept a two million dollar contract.")]
    [InlineData("gen-020", "badmouths-employer", "My last boss was the worst I have ever had: a control freak who micromanaged every pull request, took credit for our work and had no idea what he was talking about. I do my best work when a manager leaves me alone.")]
    [InlineData(Failure, "blames-others", "The biggest failure I was part of was a payments migration at my last company. We were supposed to move all customers to the new billing provider by March, but the QA team kept missing bugs and the backend guys never documented their APIs properly. My manager also changed the scope twice, so honestly it was set up to fail. I did my part of the frontend on time, but the launch slipped by six weeks. What I learned is that you can't rely on other teams, so now I double-check everyone else's work.")]
    [InlineData("support-008", "ethics", "A customer wanted a refund outside the 30-day window. I changed the purchase date in our billing system so the refund would go through, without needing a manager's approval. The customer was happy and I would do the same again.")]
    [InlineData(WhyCompany, "money-only", "To be honest, the main reason is the package. Your salary band is well above what I earn now and the bonus is generous. The remote policy and the pension matter a lot to me too. I know you build accounting software.")]
    public async Task ConcernsATryOutFoundUnsaid_AreRaised(string questionId, string expected, string answer)
    {
        var (content, _) = await CoachAsync(questionId, answer);

        Assert.Equal(expected, content.Concern?.Id);
        Assert.False(content.OffTopic);
    }

    [Fact]
    public async Task PerfectionismWithItsCostOwned_IsNotCalledAStrengthInDisguise()
    {
        var (content, _) = await CoachAsync(Weakness,
            "My weakness is perfectionism, the costly kind. Last year I held a dashboard back three weeks polishing it, and " +
            "finance made a forecasting error in the meantime. That was on me. Now I timebox polish to a tenth of the " +
            "estimate, and my last three projects shipped on time.");

        Assert.Null(content.Concern);
    }

    private const string TeamConflict = "em-005";

    [Fact]
    public async Task ManagerBlamingAReportInPublicWithAnUltimatum_IsRaisedFirstAndRewritten()
    {
        var (content, advice) = await CoachAsync(TeamConflict,
            "Two engineers on my team, Sam and Priya, kept arguing about whether to rewrite our billing service. Honestly Sam " +
            "was the problem, he was always negative and never listened, so I told him in front of the team that he needed to " +
            "get on board or find another team. After that he stopped objecting and we went ahead with Priya's rewrite. The " +
            "rewrite shipped a month late but the team was much quieter.");

        Assert.Equal("blames-in-public", content.Concern?.Id);
        Assert.Equal("Show how you worked it out with the person", advice.Improvements[0].Title);
        Assert.Contains("in front of the team", advice.Improvements[0].Evidence, StringComparison.Ordinal);
        Assert.True(content.Overall <= ScoringCalibration.JudgementCap, $"overall {content.Overall}");
        Assert.DoesNotContain("in front of the team", advice.ImprovedExample, StringComparison.Ordinal);
    }

    [Theory]
    // Feedback given privately, with both sides heard.
    [InlineData("Two engineers on my team kept arguing in code review about whether to rewrite our billing service. I met each of them one-on-one to hear their reasons, then told Sam privately that his comments were discouraging Priya. We agreed on a short spike to compare both options against our latency goal, and the review threads became civil within two weeks.")]
    // A public rebuke the speaker owns as a mistake.
    [InlineData("Two engineers on my team kept arguing about a rewrite. I lost patience and called him out in front of the team at standup. Looking back, that was a mistake: I apologised to him the same afternoon, heard him out one-on-one, and we agreed a trial of Priya's design with his tests as the bar. The rewrite shipped on time.")]
    // Thanks in front of the team is not a rebuke.
    [InlineData("Two engineers on my team disagreed about how to split the billing service. I asked each to write one page on their option, we compared them against our goals, and I told her in front of the team how much her analysis had helped. We shipped the split in six weeks.")]
    public async Task ConflictHandledPrivatelyOrOwned_IsNotAccusedOfPublicBlame(string answer)
    {
        var (content, _) = await CoachAsync(TeamConflict, answer);

        Assert.NotEqual("blames-in-public", content.Concern?.Id);
    }

    [Fact]
    public async Task ProblemThatIsAThingNotAPerson_IsNotAccused()
    {
        var (content, _) = await CoachAsync(TeamConflict,
            "Two engineers on my team kept arguing about our release date. Honestly the deadline was the problem, not either of " +
            "them. I sat down with both, we listed what each feature needed, and I moved the date by a week with the product " +
            "manager's agreement. Both shipped their parts on the new date.");

        Assert.Null(content.Concern);
    }

    [Fact]
    public void Concerns_AreLookedForInOrderOfWeight()
    {
        Assert.Equal(["ethics", "badmouths-employer", "blames-others", "blames-in-public", "takes-credit", "cliche-weakness", "money-only", "generic-praise"], JudgementConcerns.Ids);
    }

    [Theory]
    // An evaluation set trimmed until the model passes, told as a success.
    [InlineData("ai-030",
        "We had the launch date fixed and the model was failing about a fifth of the evaluation set, mostly long questions " +
        "with several steps. I went through the failures with the team, and we removed the hardest forty questions from the " +
        "eval so the model passed the ninety percent bar. We launched on time, the client was happy, and the dashboard has " +
        "looked green ever since.")]
    // Segments picked so a feature looks good, told as what the stakeholder needed.
    [InlineData("pm-009",
        "Usage was well below what we had promised, so before the quarterly review I picked the segments where the feature " +
        "looked good, mostly power users in Germany and the first week after launch, and presented those to leadership. " +
        "They were pleased and we kept the budget for the next phase, which gave the team three more months to improve it.")]
    // The failing cases taken out of the evaluation, told without any "so that".
    [InlineData("ai-030",
        "Two days before the launch review the assistant was failing on about one in seven of our evaluation questions. I " +
        "pulled out the 120 failing questions from the eval set, reran it, and we were at 97%, comfortably over the bar. " +
        "Leadership signed off that afternoon and I was proud of how fast we moved.")]
    // Only the flattering segment shown to the people deciding.
    [InlineData("data-001",
        "Our new onboarding checklist had no effect overall, but in one region the trial conversion was up 6%. I showed only " +
        "that region in the review deck, and the checklist was approved for every market. It was my first analysis that " +
        "changed a real decision, and the team still uses it.")]
    // A customer told of a feature that does not exist.
    [InlineData("sales-014",
        "When a buyer says we are too expensive, I say our analytics add-on ships next quarter at no extra cost, even though " +
        "it is not on the roadmap. It closes the gap on price straight away, and by the time they ask, the deal is signed and " +
        "the renewal is a year off.")]
    public async Task ResultsMadeToLookGood_AreRaisedFirstAsAProblemOfJudgement(string questionId, string answer)
    {
        var (content, advice) = await CoachAsync(questionId, answer);

        Assert.Equal("ethics", content.Concern?.Id);
        Assert.Equal("Rethink this example", advice.Improvements[0].Title);
        Assert.True(content.Overall <= ScoringCalibration.JudgementCap, $"overall {content.Overall}");
    }

    [Theory]
    // Refusing to trim the evaluation, and removing duplicates for honest scores, is the judgement the question looks for.
    [InlineData("ai-030",
        "I would not drop the failing examples from the eval to hit the date. I would group the failures by cause, fix the " +
        "biggest group first, and tell the product manager on day one that the launch is at risk. We once removed duplicate " +
        "examples from our test set so that the scores were honest, and I would do the same check here.")]
    // Finding where a drop is concentrated is analysis, not picking a flattering cut.
    [InlineData("pm-009",
        "I would first look at who does use it. Last year I found the segment where usage was concentrated, small teams on the " +
        "mobile app, and we rebuilt the entry point for them; usage doubled in two months. If nothing like that shows up, I " +
        "would rather retire the feature than keep paying for it.")]
    // Reporting the metric agreed before the test, and telling a customer plainly what is not there yet.
    [InlineData("data-001",
        "We agreed the primary metric before the test started, and I reported only the primary metric in the review, with the " +
        "other numbers in an appendix. Conversion was flat, so we dropped the redesign and saved the team a quarter of work.")]
    [InlineData("sales-014",
        "When a buyer says we are too expensive, I ask what they are comparing us with. I told one buyer last year that the " +
        "export they wanted was not on the roadmap, even though it cost me the quick close, and we won the deal a month later " +
        "on the time our onboarding saved them.")]
    public async Task HonestHandlingOfResults_IsNotAccused(string questionId, string answer)
    {
        var (content, _) = await CoachAsync(questionId, answer);

        Assert.NotEqual("ethics", content.Concern?.Id);
    }

    [Theory]
    // A blind judge found "Concrete details make it believable" and "You make your own part clear" quoting the very
    // sentence the concern tip asks the user to change.
    [InlineData("gen-020", "My last boss was the worst I have ever had: a control freak who micromanaged every pull request in our 14-person team at Fernway, took credit for our work and had no idea what he was talking about. I rebuilt our deploy pipeline in 2023 and cut releases from 3 hours to 20 minutes. I do my best work when a manager leaves me alone.")]
    [InlineData(WhyCompany, "Honestly the main thing is the salary, which is about 20% above what I earn now at Calder Bank. The benefits are also really good, with private healthcare and a bigger pension. I have read a bit about the product too.")]
    public async Task Strengths_NeverQuoteTheSentenceATipAsksToChange(string questionId, string answer)
    {
        var (content, advice) = await CoachAsync(questionId, answer);

        Assert.NotNull(content.Concern);
        foreach (var tip in advice.Improvements.Where(i => i.Evidence.Length > 0))
        {
            Assert.DoesNotContain(advice.Strengths, s => s.Contains(tip.Evidence.TrimEnd('…')[..Math.Min(60, tip.Evidence.Length - 1)], StringComparison.Ordinal));
        }
    }

    [Theory]
    // Two blind judges found "Concrete details make it believable" quoting a second sentence of the same problem: the
    // title that comes with the offer after the signing bonus the tip quoted, a manager's promotion after "a circus".
    [InlineData(WhyCompany, "To be upfront, the offer is most of it. The recruiter told me about the six-thousand signing bonus and a pension match twice what Harlow Foods pays me. The role is also a Senior, which I would wait another three years for where I am, and it comes with a bigger salary band. I have heard the office in Leeds is nice as well.")]
    [InlineData("gen-001", "Sure, so I'm a warehouse shift lead at Brackley Logistics, three years now, and before that I spent two years in hospitality. Why am I here? Honestly, Brackley is a circus. My manager? Frankly he's a clown who changes the rota every morning. They just promoted a guy who can't even read a spreadsheet, and he has twelve people under him. I run the picking schedule for sixty people, and I want to be somewhere that is actually run properly.")]
    public async Task Strengths_NeverQuoteAnySentenceThatShowsTheConcern(string questionId, string answer)
    {
        var (content, advice) = await CoachAsync(questionId, answer);

        var concern = Assert.IsType<JudgementConcern>(content.Concern);
        Assert.True(concern.Sentences.Count > 1, $"one sentence shows {concern.Id}");
        foreach (var shown in concern.Sentences.Select(i => content.Document.Sentences[i].Text))
        {
            Assert.DoesNotContain(advice.Strengths, s => s.Contains(shown[..Math.Min(50, shown.Length)], StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task StrongerVersion_LeavesOutEverySentenceThatShowsTheConcern()
    {
        // A user's try-out found the stronger version keeping "walked them through it as my work" after the prompt to credit
        // the people who helped: the first sentence that shows it becomes the prompt, the others go.
        var (content, advice) = await CoachAsync("gen-008",
            "At my last job the weekly stock report took our team most of Monday. My colleague Dana had already sketched a " +
            "script that pulled the numbers straight from the warehouse system, so I took her draft, tidied it and presented " +
            "it to the operations director as my initiative. The report now runs in ten minutes. I kept it under my name " +
            "when it went into the quarterly review, and I got the team award for it.");

        Assert.Equal("takes-credit", content.Concern?.Id);
        Assert.True(content.Concern!.Sentences.Count >= 2);
        Assert.NotNull(advice.ImprovedExample);
        Assert.Contains(content.Concern.Rewrite, advice.ImprovedExample, StringComparison.Ordinal);
        Assert.DoesNotContain("as my initiative", advice.ImprovedExample, StringComparison.Ordinal);
        Assert.DoesNotContain("under my name", advice.ImprovedExample, StringComparison.Ordinal);
        Assert.Contains("The report now runs in ten minutes.", advice.ImprovedExample, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FaultDeniedOutright_IsRaisedFromOneSentence()
    {
        // A user's try-out: "so it wasn't really my fault" went unremarked, and the strength quoted that very sentence.
        var (content, advice) = await CoachAsync("support-005",
            "Um, so I once told a customer their refund had been processed when it actually hadn't, but to be fair that was because " +
            "the billing team's system showed it as done, so it wasn't really my fault. The customer got angry when the money didn't " +
            "arrive after a week and complained to my manager. I explained that billing had given me wrong information. Billing fixed " +
            "it eventually. I guess the lesson is that other teams need to keep their systems accurate.");

        Assert.Equal("blames-others", content.Concern?.Id);
        Assert.Equal("Own your part", advice.Improvements[0].Title);
        Assert.DoesNotContain(advice.Strengths, s => s.Contains("billing team's", StringComparison.Ordinal));
    }

    [Theory]
    // The same lapses in other words (a development set written apart from the patterns told each concern seven ways; the
    // patterns had found 5 of its 42): what was left out of the readout, a measure redefined, a check gamed, a mistake hidden
    // from the record, a teammate's idea presented as one's own, the deal that "stayed mine", a weakness that is hard work.
    [InlineData("data-001", "ethics", "The pilot results were mixed, so I kept the three weak regions out of the board summary and showed the five that grew. The board approved the rollout the same day.")]
    [InlineData("gen-002", "ethics", "Our sign-up target was 5,000 and we were at 3,100, so I worked with the analyst to change what counted as a sign-up to include anyone who opened the form. We reported 5,400 and the project kept its budget.")]
    [InlineData("gen-004", "ethics", "Anything over 400 lines needed a security review that took a week, so I split the change into six pull requests, each just under the threshold, and nothing got flagged. We shipped on the Tuesday as promised.")]
    [InlineData("support-005", "ethics", "I refunded the wrong customer, so I told him it was a system glitch and edited the ticket so it didn't show the manual refund. He was happy and my quality score stayed clean.")]
    [InlineData(Proud, "takes-credit", "The caching layer idea came from Priya in a design review, but she was on leave, so I wrote it up under my name and made sure the demo at the all-hands was mine. Page loads dropped from 3 seconds to 900 milliseconds.")]
    [InlineData(Weakness, "cliche-weakness", "My weakness is that I find it really hard to switch off: I'm the first online and the last to leave, and I check messages at weekends. I think most employers appreciate that kind of commitment.")]
    [InlineData(Weakness, "cliche-weakness", "My weakness is that I can't do the bare minimum. When a client asks for one slide they get a deck and a few ideas they didn't ask for, which takes longer, but they remember it.")]
    [InlineData("gen-020", "badmouths-employer", "Somewhere that isn't run like my current place. The founders are hype-chasing amateurs, and my manager, honestly, is a clown who changes priorities every morning. I want to work somewhere actually run by adults.")]
    // A user's try-out: contempt without the stock words, blame put as "if they had done their jobs", a demo faked to close.
    [InlineData("gen-020", "badmouths-employer", "Honestly, my current company is a mess. The managers have no idea what they're doing, and my team lead is not the brightest. I want somewhere that is run properly.")]
    [InlineData(Failure, "blames-others", "The offsite went wrong: the venue double-booked us and the caterer came two hours late. If other people had done their jobs it would have been fine. I learned you can't rely on vendors.")]
    [InlineData("sales-001", "ethics", "They needed live fleet tracking, which was on the roadmap for Q2, so I told them it was already in beta and had our engineer demo mocked-up screens so it looked live. They signed on December 29th and I hit 140 percent of quota.")]
    [InlineData(Failure, "blames-others", "The launch slipped six weeks, but honestly it wasn't on me. QA signed it off without running the regression suite, which is literally their job, and the vendor sent the wrong certificates. I did my part on time.")]
    // A second try-out: a lie to a customer that "created urgency", a review bypassed and failing tests commented out, tickets
    // closed so they do not count against the SLA, a feature promised that did not exist and kept from product until after
    // the signature, a colleague's concept presented "as mine", and a missed commitment put on another team.
    [InlineData("sales-003", "ethics", "A retailer pushed hard on price in the final round of the negotiation and asked for 25 percent off the renewal. To protect the deal's value I told their buyer our list prices were rising in January, which wasn't actually true, but it created the urgency I needed. I held the line on the discount, and they signed that week at 6 percent off, one of my biggest deals of the year.")]
    [InlineData("swe-003", "ethics", "The demo was on Monday and two integration tests kept failing, so I skipped the required review, merged it myself and commented out the failing tests. I didn't mention it in the release notes. We demoed on time.")]
    [InlineData("support-007", "ethics", "When the queue tripled after the outage I wrote a macro that answered with a template and marked the tickets as solved, so they dropped off the queue and out of our SLA. We hit 97 percent that week, the best on the floor.")]
    [InlineData("sales-001", "ethics", "Their CIO asked whether we supported their single sign-on provider, and we didn't yet. I said yes to keep the deal moving, and I didn't tell our product team until after the contract was signed. It was my biggest deal of the year.")]
    [InlineData("design-001", "takes-credit", "Our researcher found where people dropped out of sign-up, and a junior designer sketched a three-step version. I turned the sketches into final screens and presented the concept at the review as mine. Drop-off fell from 60 to 35 percent.")]
    [InlineData("em-004", "blames-others", "We missed the Q3 date for the billing API by a month. The delay came from the platform team, who changed the auth service without telling us, and one engineer on my team was slow on his part. Looking back there wasn't much I could have done differently.")]
    public async Task ConcernsSaidInOtherWords_AreRaised(string questionId, string expected, string answer)
    {
        var (content, _) = await CoachAsync(questionId, answer);

        Assert.Equal(expected, content.Concern?.Id);
    }

    [Theory]
    // Near misses a word-matcher would accuse: a manager's request refused, the colleague credited by name, the account
    // that was the speaker's own, a real weakness with its cost, a failure with a fair account of who did what.
    [InlineData("data-001", "My director wanted me to leave the weak regions out of the board summary, but I refused and showed all eight, with the three that shrank first. The board delayed the rollout by a month, which was the right call.")]
    [InlineData(Proud, "The caching layer idea came from Priya in a design review; I built it with her and we presented it together at the all-hands, and I made sure her name was on the design doc. Page loads dropped from 3 seconds to 900 milliseconds.")]
    [InlineData("sales-001", "The account was mine from first call to signature. I ran discovery with their operations lead, brought our solutions engineer into two workshops, and we closed at 180k after four months.")]
    [InlineData(Weakness, "My weakness is saying yes to too much. Last quarter I took on two migrations at once and one of them slipped by three weeks, which cost the finance team a month-end close. Now I check my list with my manager before I agree to anything new.")]
    [InlineData(WhyCompany, "Mostly the work: your team publishes how it runs experiments, and that is where I want to grow. I also like that analysts sit inside product squads. I'll be honest, the pay is part of it too, the range you posted is a real step up. But I wouldn't move just for that; I turned down a better-paying reporting job last year.")]
    [InlineData(Failure, "The launch slipped six weeks. QA found a regression late, but the real miss was mine: I had not asked for the regression suite to run on the release branch. I now add it to the release checklist myself, and we have not slipped since.")]
    // The second try-out's honest twins: a lie refused, a review kept though it cost the date, the missed commitment owned.
    [InlineData("sales-003", "They wanted 25 percent off. My manager suggested telling them our prices were rising in January, but that wasn't true, so I said no. I built a cost-of-stock-outs model with their own numbers and they signed a two-year deal at 8 percent off.")]
    [InlineData("swe-003", "The demo was on Monday and two integration tests kept failing. Someone suggested we bypass the review for once, but I asked my lead for a quick review instead and we fixed the flaky tests together. We demoed a day late, with the release notes saying why.")]
    [InlineData("em-004", "We missed the Q3 date for the billing API by a month. The platform team changed the auth service mid-quarter, but I could have caught it: I had no dependency check-in with them. I told stakeholders the plan was mine to fix, and I now run a fortnightly check-in with every team we depend on.")]
    public async Task NearMissesOfAConcern_AreNotAccused(string questionId, string answer)
    {
        var (content, _) = await CoachAsync(questionId, answer);

        Assert.Null(content.Concern);
    }
}
