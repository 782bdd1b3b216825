using CoachBot.Coaching.Knowledge;
using CoachBot.Coaching.Tests.Knowledge;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Scoring;
using CoachBot.Coaching.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoachBot.Coaching.Tests.Advice;

/// <summary>Each improvement points to the article that matches it (retrieved by the improvement and the role).</summary>
public sealed class RuleBasedCoachKnowledgeTests(BuiltInKnowledgeFixture fixture) : IClassFixture<BuiltInKnowledgeFixture>
{
    [Fact]
    public async Task Pointers_EachImprovement_GetsItsOwnMatchingArticle()
    {
        var knowledge = new AdviceKnowledge(fixture.Knowledge.Store, Microsoft.Extensions.Options.Options.Create(fixture.Knowledge.Options), NullLogger<AdviceKnowledge>.Instance);
        Improvement[] improvements =
        [
            new("Say what you did yourself", "We looked at some options together.", "Keep “we” for the team's goal, then say which part was yours.") { Dimension = Dimensions.Ownership },
            new("Finish with the result", "In the end we agreed.", "Say what changed because of you, with a number.") { Dimension = Dimensions.Structure },
            new("Drop the hedges and fillers", "I think we kind of agreed.", "Say this sentence again without the softeners.") { Dimension = Dimensions.Clarity },
        ];

        var pointed = await knowledge.PointersAsync(Bank.Conflict(), improvements, default);

        Assert.Equal(improvements.Select(i => i.Title), pointed.Select(i => i.Title));
        Assert.Equal("builtin:star-we-vs-i", pointed[0].Reference!.Id);
        Assert.Contains(pointed[1].Reference!.Id, new[] { "builtin:star-quantify-result", "builtin:closing-with-result-and-lesson", "builtin:star-result-first-class", "builtin:behavioral-answer-structure", "builtin:star-method-basics" });
        Assert.Contains(pointed[2].Reference!.Id, new[] { "builtin:hedging-language", "builtin:filler-words-drills" });
        Assert.Equal(3, pointed.Select(i => i.Reference!.Id).Distinct().Count());
        Assert.All(pointed, i => Assert.StartsWith("builtin:", i.Reference!.Source, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("gen-004", "Last summer I hiked the West Highland Way with two friends. It rained for five days and my boots fell apart on the second day. I bought new ones in Fort William and we finished the walk in seven days. I loved the views over Loch Lomond and the people we met in the hostels.")]
    [InlineData("gen-004", "We had a deadline once. We worked hard. It was fine in the end.")]
    [InlineData("gen-004", "Tight deadlines happen. Agile, prioritisation, communication, stakeholder management, scope, focus.")]
    public async Task Pointers_TipsAboutTheQuestion_PointToAnArticleAboutTheTipNotOneThatMerelySharesTheQuestionsWords(string questionId, string answer)
    {
        var pointed = await PointedAsync(questionId, answer);

        // A deadline question has no article of its own; its text alone comes nearest to advice for people with little
        // work experience, which this answer gives no sign of.
        Assert.NotEmpty(pointed);
        Assert.All(pointed, i => Assert.NotEqual("builtin:general-first-job-no-experience", i.Reference?.Id));
        Assert.All(pointed.Where(i => i.Title is "Answer the question that was asked" or "Cover what the interviewer is listening for" or "Pick one point and show it at work"),
            i => Assert.NotNull(i.Reference));
    }

    [Fact]
    public async Task Pointers_ArticlesWrittenForAConcern_AreNeverASearchResultForAnotherTip()
    {
        // A "Ground it in an example" tip once drew the article on cutting corners for its words on examples: the articles
        // written for a judgement concern belong to that concern's tip.
        var knowledge = new AdviceKnowledge(fixture.Knowledge.Store, Microsoft.Extensions.Options.Options.Create(fixture.Knowledge.Options), NullLogger<AdviceKnowledge>.Instance);
        Improvement[] improvements =
        [
            new("Ground it in an example", "Honesty matters.", "Add a time from your work.") { About = "honesty and judgement: a result that came from cutting a corner, and taking the credit for the team's work" },
            new("Tell it plainly", "We took a shortcut.", "Say it was the wrong call.") { About = "claim your part without taking the team's credit" },
        ];

        var searched = await knowledge.PointersAsync(Bank.Conflict(), improvements, default);
        var named = await knowledge.PointersAsync(Bank.Conflict(), [improvements[0] with { Articles = ["honesty-and-judgement"] }], default);

        Assert.All(searched, i => Assert.DoesNotContain(i.Reference?.Id, new[] { "builtin:honesty-and-judgement", "builtin:crediting-others" }));
        Assert.Equal("builtin:honesty-and-judgement", Assert.Single(named).Reference?.Id);
    }

    [Theory]
    // An answer about something else: the tip points to the article on answering the question asked, whatever the question's type.
    [InlineData("gen-019", "Last summer I hiked the West Highland Way with two friends. It rained for five days and my boots fell apart on the second day. I bought new ones in Fort William and we finished the walk in seven days.", "Answer the question that was asked", "builtin:answer-the-question-asked")]
    [InlineData("gen-002", "Last summer I hiked the West Highland Way with two friends. It rained for five days and my boots fell apart on the second day. I bought new ones in Fort William and we finished the walk in seven days.", "Answer the question that was asked", "builtin:answer-the-question-asked")]
    // Points still missing from an on-topic answer: the article about that kind of question, not one on answering in general.
    [InlineData("gen-019", "I want to work here because I enjoy building tools that small businesses rely on every day. In my current job I build reporting dashboards for shop owners, and the best part of my week is hearing how they use them to plan stock. I am looking for a team where I can learn from more experienced engineers and grow into owning features from start to finish. I also like smaller companies, where people know each other and decisions are made quickly.", "Cover what the interviewer is listening for", "builtin:why-this-company")]
    [InlineData("gen-002", "Two years ago I failed my first attempt at a cloud architecture certification. I was working full time on a migration project, and I booked the exam for the end of the quarter because my manager wanted two certified people on the team. I studied in the evenings for three weeks, mostly by watching videos, and I never did a full practice exam. On the day I ran out of time on the scenario questions and scored 61 percent, where 72 was needed. I told my manager the same afternoon and we moved the team's plan back a month.", "Cover what the interviewer is listening for", "builtin:star-for-failure-questions|builtin:failure-question-choosing-the-story")]
    // A list of terms: the tip to show one at work points to the article on making an answer concrete, not to one on strengths.
    [InlineData("swe-017", "Indexes, query plans, EXPLAIN ANALYZE, caching, connection pooling, denormalisation, read replicas, monitoring and load testing. Those are the main levers for a slow query, and I would pick whichever fits best after looking at the metrics, the logs and the dashboards that the team already has.", "Pick one point and show it at work", "builtin:make-it-concrete")]
    // An answer too short to judge: what to carry on with is the question's own points, so the pointer is that question's
    // article, not the one on answer length (which is mostly about cutting).
    [InlineData("gen-021", "In five years I see myself leading a small team. I like helping people grow and I want more responsibility over time.", "Give the whole answer", "builtin:where-do-you-see-yourself")]
    // A what-would-you-do answer that acts before finding anything out: the article on such answers (its first step is to
    // say what you would check), not the one on clarifying the interviewer's question (a blind judge: weak in 4 of 4).
    [InlineData("support-011", "I'd stay calm and not take it personally. I'd acknowledge that they're frustrated and try to focus the conversation on solving their problem, because usually that's what they really want.", "Start with what you would find out first", "builtin:situational-hypothetical-answers")]
    // A list of good intentions for a rude customer: the role's article on that situation shows one worked through.
    [InlineData("support-011", "Um, I'd just, like, be patient, I guess? And be nice. Rude customers happen, so, um, you just kind of deal with it.", "Pick one point and show it at work", "builtin:cs-de-escalation")]
    // The question's own article serves a second tip too, rather than a search's weaker match ("why this company" for "why
    // this role" and the other way round).
    [InlineData("data-019", "I've always loved numbers and I'm a very analytical person. Data is the future and every business needs it, so I think it's a great career to be in.", "Give a clear reason", "builtin:why-this-role")]
    [InlineData("gen-019", "Honestly, the salary is better than what I'm on now and it's a fifteen-minute walk from my flat, so I wouldn't have the commute anymore. And I heard you do a four-day week in summer, which would be nice.", "Give the whole answer", "builtin:why-this-company")]
    public async Task Pointers_TipsAboutTheQuestion_PointToTheArticleForThatKindOfQuestion(string questionId, string answer, string title, string expected)
    {
        var pointed = await PointedAsync(questionId, answer);

        var tip = Assert.Single(pointed, i => i.Title == title);
        Assert.True(tip.Reference is not null, string.Join(" | ", pointed.Select(i => $"{i.Title}: {i.Reference?.Id}")));
        Assert.Contains(tip.Reference?.Id, expected.Split('|'));
    }

    [Fact]
    public async Task TipArticles_EveryArticleNamedByTheMapping_IsInTheBuiltInKnowledge()
    {
        foreach (var id in CoachBot.Coaching.Advice.TipArticles.All)
        {
            Assert.True(await fixture.Knowledge.Store.GetDocumentAsync("builtin:" + id, default) is not null, $"the tip-to-article mapping names {id}, which is not a built-in article");
        }
    }

    [Theory]
    // A short story asked to carry on: how a story is built (or the article for its kind of question, where there is one).
    [InlineData("gen-004", "We had a really tight release once and I stayed late a few evenings. We got it out.", "builtin:star-method-basics")]
    [InlineData("gen-003", "There was a colleague who ignored my emails. I talked to her and it got better.", "builtin:conflict-question")]
    [InlineData("gen-022", "I get impatient when reviews take long. I am working on it.", "builtin:weakness-question")]
    // A short design answer: how a design answer is laid out, not an article on the design's topic.
    [InlineData("swe-014", "I would hash the long link into a short code, and I would keep the code and the link together in a key value store so we can redirect quickly.", "builtin:se-system-design-answers")]
    // A short explanation: top down.
    [InlineData("data-012", "In my work I use an inner join when I only want rows that match in both tables. I use a left join when I need every row of the first table, matched or not.", "builtin:technical-explanation-structure")]
    // A short "why here" answer: the why-here article.
    [InlineData("gen-019", "I have used your booking app for years and I like how simple it is. I want to work on something my friends use every day.", "builtin:why-this-company")]
    public async Task Pointers_GiveTheWholeAnswer_PointsToTheArticleOnTheAnswersShape(string questionId, string answer, string expected)
    {
        var pointed = await PointedAsync(questionId, answer);

        var tip = Assert.Single(pointed, i => i.Title == "Give the whole answer");
        Assert.Equal(expected, tip.Reference?.Id);
    }

    [Fact]
    public async Task Pointers_TellARealStory_PointsToWhatInterviewersListenForInABehaviouralAnswer()
    {
        var pointed = await PointedAsync("pm-002", "I would listen to the stakeholder first and ask what they need. Then I would explain our priorities and offer an alternative date, and I would follow up in writing so nothing gets lost.");

        var tip = Assert.Single(pointed, i => i.Title == "Tell a real story, not a plan");
        Assert.Equal("builtin:behavioral-answer-structure", tip.Reference?.Id);
    }

    [Fact]
    public async Task Pointers_WeaknessQuestion_NeverPointsToTheStrengthsArticle()
    {
        var question = Bank.BuiltIn.Find("gen-022")!;
        var knowledge = new AdviceKnowledge(fixture.Knowledge.Store, Microsoft.Extensions.Options.Options.Create(fixture.Knowledge.Options), NullLogger<AdviceKnowledge>.Instance);
        Improvement[] improvements =
        [
            // Worded as the strengths article is: its words alone would find it.
            new("Name the trait plainly", "I care a lot about quality.", "Say it in one clear sentence.") { About = "Back up your strengths with evidence, not adjectives" },
        ];

        var pointed = await knowledge.PointersAsync(question, improvements, default);

        Assert.NotEqual("builtin:strengths-question", pointed[0].Reference?.Id);
    }

    [Theory]
    // A roadmap question has an article of its own (prioritisation frameworks): points still missing, or the rest of a short answer, lead there.
    [InlineData("pm-012", "I use RICE. I score each item on reach, impact, confidence and effort and I sort the list by the score, then we build from the top of the list every sprint until the quarter ends.", "builtin:pm-prioritisation-frameworks")]
    // A designer's process that leaves out the engineers: the article on working with engineers.
    [InlineData("design-012", "I start by talking to users and reading the support tickets to understand the problem. Then I sketch several directions and narrow down to one. I build a clickable prototype in Figma and test it with five users, and I iterate on what they struggle with. The process is not always the same, it depends on the project and I scale it to the risk.", "builtin:designer-working-with-engineers")]
    public async Task Pointers_MissingPointsWithAnArticleOfTheirOwn_PointThere(string questionId, string answer, string expected)
    {
        var pointed = await PointedAsync(questionId, answer);

        var tip = Assert.Single(pointed, i => i.Title is "Cover what the interviewer is listening for" or "Give the whole answer");
        Assert.Equal(expected, tip.Reference?.Id);
    }

    [Fact]
    public async Task Pointers_ShortWhatWouldYouDoAnswerWithNoFirstCheck_PointsToTheShapeAndToAskingFirst()
    {
        var pointed = await PointedAsync("gen-013", "I'd raise it on the spot in the next meeting. When someone presents my work as theirs, I'd say in front of everyone that I built that part. That should end it.");

        Assert.All(pointed, i => Assert.NotEqual("builtin:behavioral-answer-structure", i.Reference?.Id));
        Assert.Contains(pointed, i => i.Reference?.Id == "builtin:situational-hypothetical-answers");
        var clarify = Assert.Single(pointed, i => i.Title == "Start with what you would find out first");
        Assert.Equal("builtin:asking-to-clarify", clarify.Reference?.Id);
    }

    [Theory]
    // "Why here" for a question about this place; the path to the role for "what draws you to data" or "why sales".
    [InlineData("gen-019", "why-this-company")]
    [InlineData("data-019", "why-this-role")]
    [InlineData("sales-018", "why-this-role")]
    public async Task TipArticles_MotivationShape_FollowsWhatTheWhyIsAbout(string questionId, string expected)
    {
        var question = Bank.BuiltIn.Find(questionId)!;
        var content = await Scorers.Default.ScoreAsync(question, "I like this work and I want to keep doing it for a long time.", default);

        Assert.Equal(expected, CoachBot.Coaching.Advice.TipArticles.Shape(question, content.Type));
    }

    [Theory]
    // What an AI engineer finds out first about a failing evaluation is in the article on evaluating LLM systems, not the
    // general one on clarifying questions; a general question keeps the general article.
    [InlineData("ai-030", "clarify", "ai-evaluating-llm-systems")]
    [InlineData("gen-013", "clarify", "asking-to-clarify")]
    // Points missing from a salesperson's answer about rejection: the article on rejection and resilience.
    [InlineData("sales-018", "points", "sales-handling-rejection-and-resilience")]
    [InlineData("sales-002", "points", "sales-handling-rejection-and-resilience")]
    // A system design question: its components go to the design article, its trade-offs to the trade-offs article.
    [InlineData("swe-014", "components", "se-system-design-answers")]
    [InlineData("swe-014", "tradeoffs", "se-explaining-trade-offs")]
    public void TipArticles_RoleFirst_PrefersTheRolesOwnArticleOnTheQuestionsTopic(string questionId, string tip, string expected)
    {
        var question = Bank.BuiltIn.Find(questionId)!;

        var articles = CoachBot.Coaching.Advice.TipArticles.RoleFirst(question, tip, CoachBot.Coaching.Advice.TipArticles.Clarify);

        Assert.Equal(expected, articles[0]);
    }

    [Fact]
    public void TipArticles_ForRoleTopic_NeverNamesAnotherRolesArticle()
    {
        // A product manager asked about an A/B test may have the experiments article (written for both roles), never the
        // data analyst's SQL walkthrough; a general question has no role articles at all.
        var pm = CoachBot.Coaching.Advice.TipArticles.ForRoleTopic(Bank.BuiltIn.Find("pm-009")!, CoachBot.Coaching.Advice.TipArticles.PointsTip);
        var general = CoachBot.Coaching.Advice.TipArticles.ForRoleTopic(Bank.BuiltIn.Find("gen-004")!, CoachBot.Coaching.Advice.TipArticles.PointsTip);

        Assert.DoesNotContain(pm, a => a.StartsWith("da-sql", StringComparison.Ordinal));
        Assert.Empty(general);
    }

    [Fact]
    public async Task Pointers_ShortAnswerToASalesRejectionQuestion_PointsToTheRolesResilienceArticle()
    {
        var pointed = await PointedAsync("sales-018",
            "I like talking to people and I like being paid for results. Rejection does not really bother me, I just pick up the phone again.");

        // What to carry on with (routines, learning from a no) is the resilience article's, not the general "why this role".
        var whole = Assert.Single(pointed, i => i.Title == "Give the whole answer");
        Assert.Equal("builtin:sales-handling-rejection-and-resilience", whole.Reference?.Id);
    }

    [Fact]
    public async Task Pointers_RamblingStory_PointsToTheArticleOnCuttingItsSetUp()
    {
        // A blind judge found the article on answer length weak for wandering stories within range: what helps is the one
        // on keeping the situation to two sentences.
        var pointed = await PointedAsync("swe-002", AdviceFitCaseTests.RamblingBugStory);

        var cut = pointed[0];
        Assert.Equal("Lead with the point and cut the detours", cut.Title);
        Assert.Equal("builtin:star-situation-too-long", cut.Reference?.Id);
    }

    [Theory]
    // Pay as the reason for "why this company" points to the article on that question, not to the one on leaving a job.
    [InlineData("gen-019", "Honestly the main thing is the salary, which is about twenty percent above what I earn now. The benefits are also really good, with private healthcare and a bigger pension. And you offer four-day weeks, which would suit me. I have read a bit about the product too.", "Lead with why the work appeals", "builtin:why-this-company")]
    // The same for "why sales": the sales article on motivation through rejection says how to pair earnings with the work.
    [InlineData("sales-018", "The money, to be honest. The commission is uncapped and a good year can double my base salary. I like that my pay depends on me, and the bonus structure here is one of the best I have seen. Rejections don't bother me much because the earning potential keeps me going.", "Lead with why the work appeals", "builtin:sales-handling-rejection-and-resilience")]
    // Two blind judges found the credit tip's pointer weak on 10 of 10 cards (the article on saying "I" rather than "we" is
    // about the opposite problem) and the corner-cut tip's weak or unrelated on 9 of 11 (the role's article on the story's
    // topic says nothing about honesty): each points to the article written for it.
    [InlineData("gen-008", "At my last job the weekly stock report took our team most of Monday. My colleague Dana had already sketched a script that pulled the numbers straight from the warehouse system, so I took her draft, tidied it and presented it to the operations director as my initiative. The report now runs in ten minutes. I kept it under my name when it went into the quarterly review, and I got the team award for it.", "Credit the people who helped", "builtin:crediting-others")]
    [InlineData("data-005", "I built the weekly retention dashboard for our subscription team at a meal-kit company. The head of growth used it every Monday to decide which offers to keep. When the new discount started to look bad, I changed the definition of an active customer until the numbers passed, and left the old definition out of the readout. After that the dashboard showed retention up four points and the offer was kept. I knew it was useful because the growth team opened it every week and quoted it in the board pack.", "Rethink this example", "builtin:honesty-and-judgement")]
    public async Task Pointers_JudgementConcern_PointToTheArticleOnThisQuestion(string questionId, string answer, string title, string article)
    {
        var pointed = await PointedAsync(questionId, answer);

        var tip = Assert.Single(pointed, i => i.Title == title);
        Assert.Equal(article, tip.Reference?.Id);
    }

    private async Task<IReadOnlyList<Improvement>> PointedAsync(string questionId, string answer)
    {
        var question = Bank.BuiltIn.Find(questionId)!;
        var content = await Scorers.Default.ScoreAsync(question, answer, default);
        var advice = CoachBot.Coaching.Advice.RuleBasedCoach.Write(new CoachBot.Coaching.Advice.AdviceRequest(question, content));
        var knowledge = new AdviceKnowledge(fixture.Knowledge.Store, Microsoft.Extensions.Options.Options.Create(fixture.Knowledge.Options), NullLogger<AdviceKnowledge>.Instance);
        var pointed = await knowledge.PointersAsync(question, advice.Improvements, default);
        Assert.True(pointed.Count > 0, "no tips");
        return pointed;
    }
}
