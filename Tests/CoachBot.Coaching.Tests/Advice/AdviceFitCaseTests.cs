using CoachBot.Coaching.Advice;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Scoring;
using CoachBot.Coaching.Text;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Coaching.Tests.Advice;

/// <summary>
/// Tips an interview coach would not give (found by judges on the tuning sets): a quantity word in ordinary speech read as
/// vagueness, "give the whole answer" to a compact complete story or to an answer with no story at all, "say what you did
/// yourself" to someone who does, "finish with the result" after the result, "add a lesson" after one is stated.
/// </summary>
public sealed class AdviceFitCaseTests
{
    private static Question Bank(string id) => Support.Bank.BuiltIn.Find(id)!;

    private static async Task<CoachingAdvice> AdviseAsync(string questionId, string answer)
    {
        var question = Bank(questionId);
        var content = await Scorers.Default.ScoreAsync(question, answer, default);
        return RuleBasedCoach.Write(new AdviceRequest(question, content));
    }

    [Theory]
    [InlineData("I've had a few managers over the years and the best of them asked questions rather than gave orders.")]
    [InlineData("If several customers are asking for the same report, it goes to the product team with their names.")]
    [InlineData("I think about that a lot when I plan the week for the team.")]
    [InlineData("What I enjoy is turning a messy request into something the team can actually build.")]
    [InlineData("If the deal needs a promise we can't keep, it's better to lose it now than to sign it.")]
    [InlineData("My lead handled the formal report and the call with the regulator that afternoon.")]
    // "something like" brings in the words said; "something happened" opens what the story tells next.
    [InlineData("Her reply was something like “we cannot ship this without an audit”, and I booked the auditor that day.")]
    [InlineData("I was halfway through the migration when something happened that none of us had planned for.")]
    // Idioms about how things are, and what someone else did, are not the speaker's work left vague.
    [InlineData("I try hard not to take things personally when a review of my code comes back harsh.")]
    [InlineData("I kept reading the old billing code until I saw why things were built that way.")]
    [InlineData("On a good team people own up quickly when they broke something in the build.")]
    // A sentence with a figure in words already says how much.
    [InlineData("I redid a lot of the charts four times before I let anyone see them.")]
    [InlineData("We handled some of the migration in two weeks of evenings.")]
    // A blind judge found these asked to be made concrete: an idiom, a word pointing back to what the answer named, an
    // example given in the same breath, and one item of a list of named ones.
    [InlineData("I tell the customer honestly, and it's a chance for me to learn something new as well.")]
    [InlineData("The important things go into my calendar as blocks, usually in the mornings.")]
    [InlineData("If it's scope, I can often give them something real within weeks, like ownership of a platform migration.")]
    [InlineData("Then we talk about whatever is on their mind - it might be a problem on a project, something with a colleague, or their career.")]
    // Two blind judges found these asked to be made concrete: a condition in how the speaker works, and the skill to grow.
    [InlineData("Once something works again, I ask the customer to repeat what they were doing before I close the ticket.")]
    [InlineData("When things go wrong on a release night, I write down the timeline before we start fixing.")]
    [InlineData("I want to get better at forecasting, which I have not owned before, and this role includes it.")]
    public void VagueWords_OrdinarySpeech_IsNotVague(string sentence)
    {
        var doc = TextDocument.Parse(sentence);

        Assert.Empty(RuleBasedCoach.VagueWords(doc, doc.Sentences[0]));
    }

    [Theory]
    // One loose phrase ("a lot of stuff") in an answer that names what happened: a quoted review comment, the practices
    // used (pairing, an integration test, a checklist, a pull request template).
    [InlineData("I asked her to pair with me, and we walked through the gateway logs together, which sorted out a lot of stuff for me.")]
    // An idiom as the only vague-looking phrase.
    [InlineData("My first reaction was to defend the code, but I try hard not to take things personally in a code review.")]
    public async Task Write_SpecificAnswerWithOneLoosePhrase_IsNotToldToMakeItConcrete(string loose)
    {
        var advice = await AdviseAsync("swe-005",
            "My reviewer on the payments team left a comment saying “this retry loop will charge a customer twice if the " +
            $"gateway times out”. {loose} I rewrote the loop around an idempotency key and added an integration test that " +
            "replays a timeout. I also added a checklist item for retries to our pull request template. Since then I ask " +
            "for a review of risky changes before I write them, not after.");

        Assert.DoesNotContain(advice.Improvements, i => i.Title == "Make it concrete");
    }

    [Fact]
    public async Task Write_AnswerThatStaysAbstract_IsStillToldToMakeItConcrete()
    {
        var advice = await AdviseAsync("swe-005",
            "I got some feedback once that was quite critical of my work. At first I did not like it much and I felt a bit " +
            "defensive about things. Then I thought about it more and I worked on a lot of stuff to make it better. I handled " +
            "it by listening and trying to improve various things in how I worked. In the end it went better and the feedback " +
            "was positive after that. I think feedback is really important for growth and I try to stay open to it.");

        var concrete = Assert.Single(advice.Improvements, i => i.Title == "Make it concrete");
        Assert.Contains("a lot of", concrete.Suggestion, StringComparison.Ordinal);
    }

    /// <summary>A routing story that states the team's goal in "we"; the choice sentence is the speaker's own or the team's.</summary>
    private static string RoutingStory(string choice) =>
        "We needed to route every incoming support email to one of twelve queues, and we were doing it by hand. We " +
        $"looked at a few rule engines first. {choice} a small classifier instead, because the rules kept breaking on new " +
        "products. We built the first version on two years of labelled emails. We tested it on one queue, and we rolled it " +
        "out to the rest over a month. Misrouted emails fell from 14% to 5%, and the support team got back about two hours " +
        "a day.";

    [Fact]
    public async Task Write_DesignAnswerThatOnlyListsParts_IsToldToGoDeeperOnOne_NotToTellAStory()
    {
        var advice = await AdviseAsync("swe-014",
            "I'd use microservices on Kubernetes with a load balancer, Redis, Cassandra, Kafka, consistent hashing, CDN edge " +
            "caching, rate limiting, eventual consistency and horizontal scaling. It would be highly available and fault tolerant.");

        var tip = Assert.Single(advice.Improvements, i => i.Title == "Go deeper on one part");
        Assert.DoesNotContain("when you used it", tip.Suggestion, StringComparison.Ordinal);
        Assert.DoesNotContain(advice.Improvements, i => i.Title == "Pick one point and show it at work");
    }

    [Fact]
    public async Task Write_TeamGoalInWeThenOwnActionsInI_IsNotToldToSayWhatTheyDid()
    {
        var advice = await AdviseAsync("swe-004", RoutingStory("I argued for"));

        Assert.DoesNotContain(advice.Improvements, i => i.Title == "Say what you did yourself");
    }

    [Fact]
    public async Task Write_StoryWhoseActionsAreAllWe_QuotesWhatTheTeamDidNotItsGoal()
    {
        var advice = await AdviseAsync("swe-004", RoutingStory("We decided on"));

        var ownership = Assert.Single(advice.Improvements, i => i.Title == "Say what you did yourself");
        Assert.DoesNotContain("needed", ownership.Evidence, StringComparison.Ordinal);
        Assert.StartsWith("We ", ownership.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_SpecificStoryWithAHandfulOfFillers_IsNotToldToDropThem()
    {
        // Five softeners in 158 words: under five a minute spoken, which the filler article calls normal.
        var advice = await AdviseAsync("swe-006",
            "The checkout service went down on a Friday evening, um, and I was the engineer on call that week. I opened the " +
            "dashboard and saw that the database connections were maxed out at 500. I rolled back the deploy from that " +
            "afternoon, which brought error rates from 30% back under 1% in twelve minutes. Um, then I wrote the post-mortem " +
            "with Dana from the platform team, and we traced it to a new report query that held connections open for minutes " +
            "at a time. I added a timeout of 5 seconds to that query and, um, a connection pool alert at 80% so we hear about " +
            "it before customers do. I also moved the report to the read replica. We have not had a pool outage since, and " +
            "the alert caught the same pattern twice in the next quarter, um, before it hurt anyone. I think the lesson was " +
            "to check what changed first, before digging into graphs.");

        Assert.DoesNotContain(advice.Improvements, i => i.Title == "Drop the hedges and fillers");
    }

    [Fact]
    public async Task Write_FillersAtADistractingRate_StillLeadTheTips()
    {
        var advice = await AdviseAsync("swe-006",
            "So, um, the checkout service, um, went down on a Friday, and, um, I was on call. Um, I kind of opened the " +
            "dashboard and, uh, the database connections were, um, maxed out at 500. I think I, um, rolled back the deploy, " +
            "and, uh, errors went from 30% to under 1% in, um, twelve minutes. Then, um, I wrote the post-mortem with Dana, " +
            "and, uh, I added a 5 second timeout and, um, a pool alert at 80%. We have, um, not had a pool outage since.");

        Assert.Equal("Drop the hedges and fillers", advice.Improvements[0].Title);
    }

    [Theory]
    [InlineData("On that project I did a lot of it myself instead of asking the others.", "a lot of")]
    [InlineData("I think I did, like, a lot that week to keep the release on track.", "a lot")]
    [InlineData("So we agreed to ship it on time and fix things afterwards in the next sprint.", "things")]
    [InlineData("After that I started walking over to his desk and it worked a bit better between us.", "better")]
    [InlineData("I organise my week with lists and stuff so that I never really panic.", "stuff")]
    // Outside a condition "something" still stands in for what was done.
    [InlineData("So I changed something in the settings and after that the exports ran again.", "something")]
    public void VagueWords_WordThatStandsInForAFact_IsNamed(string sentence, string vague)
    {
        var doc = TextDocument.Parse(sentence);

        Assert.Contains(vague, RuleBasedCoach.VagueWords(doc, doc.Sentences[0]));
    }

    [Fact]
    public async Task Write_StoryQuestionAnsweredWithBeliefs_AsksForOneRealTimeInsteadOfMoreWords()
    {
        var advice = await AdviseAsync("swe-001",
            "Disagreement is healthy in a good team, and I always assume positive intent. I usually bring data to the " +
            "discussion rather than opinions, and I try to write the options down so everyone can compare them. In the end " +
            "the team owns the decision, and I commit to it even when I disagree.");

        Assert.Equal("Tell one time it happened", advice.Improvements[0].Title);
        Assert.Contains("always", advice.Improvements[0].Evidence, StringComparison.Ordinal);
        Assert.DoesNotContain(advice.Improvements, i => i.Title is "Give the whole answer" or "Make it concrete" or "Cover what the interviewer is listening for");
    }

    [Theory]
    // A technical answer that already shows the idea in the speaker's own code.
    [InlineData("swe-019", "Ground it in an example",
        "Code is easy to maintain when each part does one job, has a name that says what it does, and has tests around " +
        "its behaviour rather than its insides. At my last job I split a nine hundred line billing class into four small " +
        "classes, each with its own tests. After that, new people changed the tax rules without asking me, and reviews " +
        "got much shorter because each change touched one class.")]
    // A weakness answer that already tells when it showed.
    [InlineData("gen-022", "Show it with a moment",
        "My weakness is that I say yes to too much. Last spring I took on two side projects on top of the main release, " +
        "and the release slipped by a week because I was the bottleneck on reviews. Since then I keep a written list of " +
        "everything I have agreed to, and I go through it with my manager every Monday before I take on anything new.")]
    public async Task Write_AnswerThatAlreadyGivesAnExample_IsNotAskedForOne(string questionId, string title, string answer)
    {
        var advice = await AdviseAsync(questionId, answer);

        Assert.DoesNotContain(advice.Improvements, i => i.Title == title);
    }

    /// <summary>A story that wanders: background, a half-remembered cause, asides announced as such (written for these tests).</summary>
    internal const string RamblingBugStory =
        "So this was at my second job, which was a logistics company, and to give you the background, the platform was about ten " +
        "years old and had been rewritten twice, once in Ruby and once partly in Go, and nobody really knew which bits were which. " +
        "The team had changed a lot as well, we had contractors coming and going, which is a whole other story. Anyway, there was " +
        "a bug where some delivery slots were shown twice to customers, and it only happened on Mondays, or maybe Sundays, I " +
        "don't fully remember. We looked at it for weeks and there were lots of theories, the cache, the database, the time " +
        "zones, and there were a lot of meetings about it. I could go on about those meetings. In the end I think it was " +
        "something to do with the way the slots were generated overnight, the job ran twice when the clocks changed, " +
        "something like that. So yeah, it was definitely the hardest one, because the code was so old and nobody owned it.";

    [Fact]
    public async Task Write_RamblingStoryWithinItsLength_FirstSaysHowToCutIt()
    {
        var advice = await AdviseAsync("swe-002", RamblingBugStory);

        var first = advice.Improvements[0];
        Assert.Equal("Lead with the point and cut the detours", first.Title);
        Assert.Contains("one story", first.Suggestion, StringComparison.Ordinal);
        Assert.Contains("result", first.Suggestion, StringComparison.Ordinal);
        Assert.Contains(first.Evidence.TrimEnd('…'), RamblingBugStory, StringComparison.Ordinal);
        Assert.DoesNotContain(advice.Improvements, i => i.Title == "Tighten the answer");
    }

    [Fact]
    public async Task Write_SoftenerBeforeAStop_LeavesNoSpaceInTheStrongerVersion()
    {
        var advice = await AdviseAsync("gen-002",
            "Last spring I promised a client a launch date before checking with the data team, and we missed it by three weeks. " +
            "I owned it: I called the client myself, explained the delay and gave them a new plan with weekly check-ins. The data " +
            "team and I then rebuilt the schedule together, and we launched on the new date. Since then I never commit to a date " +
            "until every team involved has seen the plan, and the client renewed, which went okay, basically.");

        Assert.Contains("which went okay.", advice.ImprovedExample, StringComparison.Ordinal);
        Assert.DoesNotContain(" .", advice.ImprovedExample, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_FocusedStoryWithOneAside_IsNotCalledRambling()
    {
        var advice = await AdviseAsync("swe-002",
            "Our nightly invoice export started failing about once a week with a timeout, and nobody could reproduce it. Anyway, " +
            "I added timing to every step of the job and compared a failing night with a good one. The slow step was a query that " +
            "scanned the whole payments table whenever the month had more than thirty days of data. I added an index on the " +
            "payment date, wrote a test that loads a thirty-one day month, and the export has run in under two minutes every " +
            "night since, down from twenty.");

        Assert.DoesNotContain(advice.Improvements, i => i.Title == "Lead with the point and cut the detours");
    }

    [Theory]
    // Costs already weighed against each other.
    [InlineData("swe-015", "Name the trade-offs",
        "Unit tests check one function on its own, so they run fast and point straight at what broke. Integration tests " +
        "check that parts work together, such as the code and the database, and end-to-end tests click through the app the " +
        "way a customer would. Unit tests are cheap to write; the other two are slower and can be flaky. So I follow the " +
        "testing pyramid: many unit tests, fewer integration tests, and end-to-end tests only for sign-up and checkout.")]
    // Something named about this company already links the answer to it.
    [InlineData("swe-020", "Connect it to this role",
        "I know you make the open-source migration tool, and I have used it at work: we moved about forty services onto it last " +
        "year. The problems I enjoy most are developer tools, where the users are engineers and you find out straight away " +
        "whether you made their day better. At my current job I maintain our internal command-line tool, and that is the part " +
        "of my week I look forward to most.")]
    // A story whose result is stated at the end, without a number.
    [InlineData("support-001", "Finish with the result",
        "A restaurant owner phoned in January, shouting, because our payroll software had taxed his staff's tips twice and three " +
        "of his waiters had been short-paid on rent day. He had followed one of our help articles, which was wrong. I let him " +
        "finish, told him he was right to be angry and that the article was our mistake, and stayed on the line while I walked " +
        "him through the correction and had the adjusted payslips generated. I also got our billing team to credit his month's " +
        "subscription. By the end of the call he was calm enough to joke about it, and he is still a customer.")]
    public async Task Write_PartTheAnswerAlreadyHas_IsNotAskedFor(string questionId, string title, string answer)
    {
        var advice = await AdviseAsync(questionId, answer);

        Assert.DoesNotContain(advice.Improvements, i => i.Title == title);
    }

    [Fact]
    public async Task Write_AchievementStatedAsAMeasuredChange_IsNotListedAsMissing()
    {
        var question = Bank("gen-001");
        var answer =
            "I lead a support team of six at a home insurance company, mostly on claims questions. Before that I spent " +
            "three years answering calls myself, which is where I learned how much a clear letter saves everyone. Last " +
            "year I rewrote our claim status letters with two agents, and calls asking where a claim stood fell from about " +
            "140 to under 30 a month. Now I want to move closer to the product side, which is why this role appeals to me.";
        var content = await Scorers.Default.ScoreAsync(question, answer, default);
        var advice = RuleBasedCoach.Write(new AdviceRequest(question, content));

        var achievement = Assert.Single(content.Rubric, r => r.Point.Point.Contains("achievements", StringComparison.Ordinal));
        Assert.True(achievement.Covered);
        Assert.Contains("140", achievement.Evidence, StringComparison.Ordinal);
        Assert.DoesNotContain(advice.MissedPoints, p => p.Contains("achievements", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Write_CompactStoryWithActionAndResult_IsNotToldToGiveTheWholeAnswer()
    {
        var advice = await AdviseAsync("swe-002",
            "Our nightly invoice export started failing about once a week with a timeout, and nobody could reproduce it. I " +
            "added timing to every step of the job and compared a failing night with a good one. The slow step was a query " +
            "that scanned the whole payments table whenever the month had more than thirty days of data. I added an index " +
            "on the payment date and split the export into daily batches. The export has not failed since, and it now " +
            "finishes in four minutes instead of forty, so the finance team has its figures before nine.");

        Assert.DoesNotContain(advice.Improvements, i => i.Title == "Give the whole answer");
        Assert.DoesNotContain(advice.Improvements, i => i.Title == "Finish with the result");
    }

    [Fact]
    public async Task Write_StoryToldMostlyAsI_IsNotToldToSayWhatTheyDidThemselves()
    {
        var advice = await AdviseAsync("gen-008",
            "Our team's weekly report took everyone Friday afternoon because the figures were copied by hand from three " +
            "systems. Nobody had asked me to, but I wrote a small script that pulled the numbers from each system's export " +
            "and filled the spreadsheet. I tested it for three weeks next to the manual version and fixed two rounding " +
            "differences. I showed it to my manager with the side-by-side results, and she asked me to hand it over to the " +
            "whole department. We reviewed it together once a month after that. It saves about six hours a week across the team.");

        Assert.DoesNotContain(advice.Improvements, i => i.Title == "Say what you did yourself");
    }

    [Fact]
    public async Task Score_LessonToldAsWhatTheyTookFromIt_CoversTheLessonPoint()
    {
        var question = Bank("gen-002");
        var content = await Scorers.Default.ScoreAsync(question,
            "Two years ago I organised the annual conference for our suppliers and booked a venue without visiting it. On " +
            "the day the main room had no working projector and half the chairs were missing, so the first session started " +
            "forty minutes late. I borrowed a projector from the hotel next door and moved the talks around so the room " +
            "could be set up in the break. Afterwards I wrote to every speaker to apologise. What I took from it is that I " +
            "check every room myself before I sign anything.", default);

        var lesson = content.Rubric.Single(r => r.Point.Point == "Identifies a clear lesson");
        Assert.True(lesson.Covered);
        Assert.Contains("What I took from it", lesson.Evidence!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_ApologiesTheStoryTells_AreNotApologiesToTheInterviewer()
    {
        // A support story in which the speaker said sorry to a customer was marked down for two apologies and told to
        // "drop the apologies", quoting the sentence that showed the empathy the question asks for.
        var question = Bank("support-011");
        var content = await Scorers.Default.ScoreAsync(question,
            "Last winter a customer called about being charged twice for her annual plan, and she was furious because it " +
            "had emptied her account before rent day. First I told her I was sorry for the trouble and that I could see both " +
            "charges on my screen. I refunded the second charge while she was on the line and sent her the confirmation " +
            "email with the refund reference. I apologise to every customer in that spot before anything else, because they " +
            "need to hear that someone is on their side. I also flagged it to our billing team, who found a retry bug that " +
            "had hit 40 other accounts that week. She emailed the next day to say thanks, and she renewed the following year.", default);
        var advice = RuleBasedCoach.Write(new AdviceRequest(question, content));

        Assert.Equal(0, content.ApologyCount);
        Assert.DoesNotContain(advice.Improvements, i => i.Title == "Drop the apologies and restarts");
    }

    [Theory]
    // A user's try-out: the apology said to the customer, quoted, is what the speaker did; the stronger version keeps it
    // (it once read "I said we're this shouldn't have happened").
    [InlineData("I called their finance director, and first I apologised, I said we're sorry, this shouldn't have happened and I understand why you're frustrated.", "we're sorry, this shouldn't")]
    [InlineData("First I let her talk, and then I said I'm really sorry, that wait shouldn't have happened, and I'm sorry the lock hit you on your busiest day.", "I'm really sorry, that wait")]
    public async Task Write_ApologyToTheCustomer_IsKeptInTheStrongerVersionAndNotCounted(string told, string kept)
    {
        var question = Bank("support-001");
        var content = await Scorers.Default.ScoreAsync(question,
            "A customer called in furious because her business account had been locked on the morning of a big sale. " + told +
            " I found the fraud rule that had flagged a large order, got the risk team to review it while she was on the line, " +
            "and unlocked the account in twelve minutes. I followed up by email with what had triggered it, and she left a five-star rating.", default);
        var advice = RuleBasedCoach.Write(new AdviceRequest(question, content));

        Assert.Equal(0, content.ApologyCount);
        Assert.Contains(kept, advice.ImprovedExample ?? string.Empty, StringComparison.Ordinal);
    }

    [Theory]
    // Apologies to the listener for the answer itself still count, beside the words that look like a story's.
    [InlineData("Sorry, I'm rambling. I told her we were sorry for the delay and refunded the order the same afternoon.", 1)]
    [InlineData("I apologise for the long answer. The customer had been waiting three weeks, so I called her that morning.", 1)]
    [InlineData("Sorry, let me start again. I said sorry to the customer and sent the replacement by courier.", 2)]
    public async Task Score_ApologiesToTheInterviewer_StillCount(string answer, int apologies)
    {
        var content = await Scorers.Default.ScoreAsync(Bank("support-011"), answer, default);

        Assert.Equal(apologies, content.ApologyCount);
    }

    [Fact]
    public async Task Write_RamblingStory_IsNotPraisedForItsShape()
    {
        // A blind judge found "Clear shape" praised beside the tip that says the answer wanders.
        var advice = await AdviseAsync("swe-002", RamblingBugStory);

        Assert.Contains(advice.Improvements, i => i.Title == "Lead with the point and cut the detours");
        Assert.DoesNotContain(advice.Strengths, s => s.StartsWith("Clear shape", StringComparison.Ordinal));
    }
}
