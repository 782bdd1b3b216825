using System.Text.Json.Nodes;
using CoachBot.Coaching.Advice.Llm;
using CoachBot.Coaching.Knowledge;
using CoachBot.Coaching.Knowledge.Embeddings;
using CoachBot.Coaching.Plans;
using CoachBot.Coaching.Tests.Advice.Llm;
using CoachBot.Coaching.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Options = Microsoft.Extensions.Options.Options;

namespace CoachBot.Coaching.Tests.Plans;

/// <summary>Plan questions written by a scripted model on a loopback server speaking the OpenAI or Ollama protocol.</summary>
public sealed class PlanQuestionModelTests
{
    private static readonly ResumeFacts Resume = FactExtractor.FromResume(string.Join('\n', PlanDocuments.BackendResume));
    private static readonly JobFacts Job = FactExtractor.FromJob(string.Join('\n', PlanDocuments.DataAnalystJob));

    [Theory]
    [InlineData(Protocol.OpenAI)]
    [InlineData(Protocol.Ollama)]
    public async Task BuildAsync_ModelNamesFacts_PlanUsesItsQuestionsInsideTheSchema(Protocol protocol)
    {
        await using var server = await ScriptedProvider.StartAsync(protocol);
        server.DefaultText = Reply(Good(Resume.Experiences[0].Text, Job.Responsibilities[0]), Good(null, Job.Skills[0]));

        var plan = await Planner(server).BuildAsync(Resume, Job, "data-analyst", default);

        Assert.StartsWith(protocol == Protocol.OpenAI ? "openai (" : "ollama (", plan.QuestionsWrittenBy, StringComparison.Ordinal);
        var written = plan.Questions.Where(q => q.Source == PlanQuestion.Written).ToList();
        Assert.Contains(written, q => q.Text.StartsWith("Tell me how you " + Resume.Experiences[0].Text, StringComparison.Ordinal) && q.BasedOn!.Resume == Resume.Experiences[0].Text);
        Assert.Contains(written, q => q.Text.Contains(Job.Skills[0], StringComparison.Ordinal) && q.BasedOn!.Job == Job.Skills[0]);
        Assert.Equal(written.Count, written.Select(q => q.Id).Distinct().Count());
        var request = server.Requests[0].Body.ToJsonString();
        // The schema travels with the request (OpenAI response_format.json_schema, Ollama format).
        Assert.Contains("\"basedOn\":{\"type\":\"object\"", request, StringComparison.Ordinal);
        Assert.Contains(Resume.Experiences[0].Text, server.Requests[0].Prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildAsync_QuestionNamingNoFact_IsDroppedAndARuleBasedOneTakesItsPlace()
    {
        await using var server = await ScriptedProvider.StartAsync(Protocol.OpenAI);
        var invented = Good(null, Job.Skills[0]);
        invented["text"] = "Tell me about your favourite holiday and what you learned on it.";
        server.DefaultText = Reply(Good(Resume.Experiences[0].Text, null), invented);
        var rulesOnly = await Planner(null).BuildAsync(Resume, Job, "data-analyst", default);

        var plan = await Planner(server).BuildAsync(Resume, Job, "data-analyst", default);

        var written = plan.Questions.Where(q => q.Source == PlanQuestion.Written).ToList();
        Assert.Equal(rulesOnly.Questions.Count(q => q.Source == PlanQuestion.Written), written.Count);
        Assert.DoesNotContain(written, q => q.Text.Contains("holiday", StringComparison.Ordinal));
        Assert.Contains(written, q => q.Text.StartsWith("Tell me how you", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"answers\": []}")]
    public async Task BuildAsync_InvalidOutput_FallsBackToTheRuleBasedQuestions(string output)
    {
        await using var server = await ScriptedProvider.StartAsync(Protocol.Ollama);
        server.DefaultText = output;
        var rulesOnly = await Planner(null).BuildAsync(Resume, Job, "data-analyst", default);

        var plan = await Planner(server).BuildAsync(Resume, Job, "data-analyst", default);

        Assert.Equal("rules (the model's reply could not be read)", plan.QuestionsWrittenBy);
        Assert.Equal(
            rulesOnly.Questions.Where(q => q.Source == PlanQuestion.Written).Select(q => q.Text),
            plan.Questions.Where(q => q.Source == PlanQuestion.Written).Select(q => q.Text));
    }

    [Fact]
    public async Task BuildAsync_EveryModelQuestionDropped_PlanSaysTheModelWasAskedAndWhyNoneIsThere()
    {
        await using var server = await ScriptedProvider.StartAsync(Protocol.OpenAI);
        var offTopic = Good(null, Job.Skills[0]);
        offTopic["text"] = "What is the best book you have read this year, and why?";
        var leading = Good(Resume.Experiences[0].Text, null);
        leading["text"] = $"You {Resume.Experiences[0].Text}, so surely you are ready for this job?";
        server.DefaultText = Reply(offTopic, leading);

        var plan = await Planner(server).BuildAsync(Resume, Job, "data-analyst", default);

        Assert.Equal("rules (none of the model's 2 questions passed the checks)", plan.QuestionsWrittenBy);
        Assert.All(plan.Questions.Where(q => q.Source == PlanQuestion.Written), q => Assert.Equal("rules", q.WrittenBy));
    }

    [Theory]
    [InlineData("Sure! These fit the candidate well.\n\n```json\n{0}\n```\nLet me know if you want more.")]
    [InlineData("Here is the plan you asked for: {0}")]
    [InlineData("{0}\n\nEach question is tied to a fact from the résumé.")]
    public async Task BuildAsync_ProseAroundTheReplyJson_TheJsonIsRead(string template)
    {
        await using var server = await ScriptedProvider.StartAsync(Protocol.Ollama);
        server.DefaultText = template.Replace("{0}", Reply(Good(Resume.Experiences[0].Text, Job.Responsibilities[0])), StringComparison.Ordinal);

        var plan = await Planner(server).BuildAsync(Resume, Job, "data-analyst", default);

        Assert.Contains(plan.Questions, q => q.Text.StartsWith("Tell me how you " + Resume.Experiences[0].Text, StringComparison.Ordinal));
        Assert.StartsWith("ollama (", plan.QuestionsWrittenBy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildAsync_ReplyCutOffInsideItsThirdQuestion_KeepsTheTwoCompleteOnes()
    {
        await using var server = await ScriptedProvider.StartAsync(Protocol.OpenAI);
        var whole = Reply(Good(Resume.Experiences[0].Text, null), Good(null, Job.Skills[0]), Good(Resume.Experiences[1].Text, null));
        // The model ran out of tokens inside the third question's rubric.
        var cut = whole[..whole.LastIndexOf("\"cues\"", StringComparison.Ordinal)];
        server.DefaultText = cut;

        var plan = await Planner(server).BuildAsync(Resume, Job, "data-analyst", default);

        var byModel = plan.Questions.Where(q => q.WrittenBy == "openai (gpt-4o-mini)").ToList();
        Assert.Equal(2, byModel.Count);
        Assert.Contains(byModel, q => q.Text.StartsWith("Tell me how you " + Resume.Experiences[0].Text, StringComparison.Ordinal));
        Assert.Contains(byModel, q => q.Text.Contains(Job.Skills[0], StringComparison.Ordinal));
        PlanQuestionModel.Check(cut, Resume, Job, 5, null, out var cutOff);
        Assert.True(cutOff);
    }

    [Fact]
    public void Check_ReplyCutOffBeforeItsFirstCompleteQuestion_IsRefused()
    {
        var whole = Reply(Good(Resume.Experiences[0].Text, null));

        Assert.Throws<LlmOutputException>(() => PlanQuestionModel.Check(whole[..(whole.Length / 2)], Resume, Job, 5));
    }

    [Fact]
    public async Task BuildAsync_ReplyInACodeFence_IsUsed()
    {
        await using var server = await ScriptedProvider.StartAsync(Protocol.Ollama);
        server.DefaultText = "```json\n" + Reply(Good(Resume.Experiences[0].Text, Job.Responsibilities[0])) + "\n```";

        var plan = await Planner(server).BuildAsync(Resume, Job, "data-analyst", default);

        Assert.Contains(plan.Questions, q => q.Text.StartsWith("Tell me how you " + Resume.Experiences[0].Text, StringComparison.Ordinal));
        Assert.StartsWith("ollama (", plan.QuestionsWrittenBy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("behavioural", "behavioral")]
    [InlineData("Competency", "behavioral")]
    [InlineData("scenario", "situational")]
    [InlineData("culture fit", "motivation")]
    [InlineData("", "behavioral")]
    public void Check_CategoryOutsideTheList_IsMappedToTheNearestOne(string category, string expected)
    {
        var question = Good(Resume.Experiences[0].Text, null);
        question["category"] = category;

        var checkedQuestions = PlanQuestionModel.Check(Reply(question), Resume, Job, 5);

        Assert.Equal(expected, Assert.Single(checkedQuestions).Category);
    }

    [Theory]
    [InlineData("Tell me how you {0}, and how you balanced it with your children at home?", "protected")]
    [InlineData("Tell me how you {0}. Given your age, how do you keep up with new tools?", "protected")]
    [InlineData("Tell me how you {0}; does your religion ever affect weekend work?", "protected")]
    [InlineData("Tell me how you {0}, and whether any health condition would affect the role?", "protected")]
    [InlineData("Tell me how you {0}. How many more years do you expect to stay in full-time work?", "protected")]
    [InlineData("Tell me how you {0}, and how soon are you hoping to retire?", "protected")]
    [InlineData("Tell me how you {0}. At this point in your life, why take on a new field?", "protected")]
    [InlineData("Tell me how you {0}. Our analysts are a youthful, fast-moving group: how would you fit in?", "protected")]
    [InlineData("Tell me how you {0}, and whether you are thinking of starting a family soon?", "protected")]
    [InlineData("Tell me how you {0}. How would your commute or childcare fit our hours?", "protected")]
    [InlineData("Tell me how you {0}. Which of our benefits package appeals to you most?", "benefits")]
    [InlineData("Tell me how you {0} during your time at Globex, and what you learned there?", "neither document")]
    [InlineData("Tell me how you {0}, which lifted revenue by 17%?", "neither document")]
    [InlineData("You {0}, so you'd agree that process beats talent, wouldn't you?", "leading")]
    public void Check_QuestionOnARealFactThatMustNotBeAsked_IsDroppedWithAReason(string template, string reason)
    {
        var question = OnFirstExperience(template);
        var dropped = new List<string>();

        var checkedQuestions = PlanQuestionModel.Check(Reply(question, Good(null, Job.Skills[0])), Resume, Job, 5, dropped);

        Assert.Single(checkedQuestions);
        Assert.Contains(reason, Assert.Single(dropped), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Tell me how you {0}, and what you checked before retiring the old version?")]
    [InlineData("Tell me how you {0}, and how the retirement of the old reports was planned?")]
    public void Check_WorkWordsThatSoundLikeAProtectedTopic_Pass(string template)
    {
        var question = OnFirstExperience(template);
        var dropped = new List<string>();

        Assert.Single(PlanQuestionModel.Check(Reply(question), Resume, Job, 5, dropped));
        Assert.Empty(dropped);
    }

    [Theory]
    [InlineData("Tell me how you {0}, and where do you think {1} will be in the sector in ten years?")]
    [InlineData("Tell me how you {0}, and how should quarterly bonuses follow staff appraisal grades?")]
    [InlineData("Tell me how you {0}? What is your opinion on open-plan offices for engineers?")]
    public void Check_QuestionAskingTwoThingsAtOnce_KeepsOnlyItsFirstAsk(string template)
    {
        var question = OnFirstExperience(template, "automation");

        var checkedQuestion = Assert.Single(PlanQuestionModel.Check(Reply(question), Resume, Job, 5));

        Assert.Equal($"Tell me how you {Resume.Experiences[0].Text}?", checkedQuestion.Text);
    }

    [Theory]
    [InlineData("Tell me how you {0}, and what you would do differently now?")]
    [InlineData("Tell me how you {0}, and how you would carry it into this role's {1} work?")]
    public void Check_FollowOnAboutTheSameStoryOrTheJobsDuty_IsOneAsk(string template)
    {
        var question = Good(Resume.Experiences[0].Text, Job.Skills[0]);
        var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Resume.Experiences[0].Text, Job.Skills[0]);
        question["text"] = text;

        Assert.Equal(text, Assert.Single(PlanQuestionModel.Check(Reply(question), Resume, Job, 5)).Text);
    }

    [Theory]
    [InlineData("Tell me how you {0}, and how you tracked it with trulens dashboards?")]
    [InlineData("Tell me how you {0}, and whether ragas faithfulness scores showed the change?")]
    [InlineData("Tell me how you {0}, and how LANGFUSE traces helped?")]
    public void Check_ToolInNeitherDocumentWrittenInAnyCase_IsDropped(string template)
    {
        var question = OnFirstExperience(template);
        var dropped = new List<string>();

        Assert.Empty(PlanQuestionModel.Check(Reply(question), Resume, Job, 5, dropped));
        Assert.Contains("tool found in neither document", Assert.Single(dropped), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_EverydayWordThatIsAlsoAToolName_Passes()
    {
        var question = Good(Resume.Experiences[0].Text, null);
        question["text"] = $"Tell me how you {Resume.Experiences[0].Text}, and what outreach to other teams it needed?";

        Assert.Single(PlanQuestionModel.Check(Reply(question), Resume, Job, 5));
    }

    [Fact]
    public void Check_TwoQuestionsSharingConcreteWordsOnDifferentFacts_AreBothKept()
    {
        var story = Good(Resume.Experiences[0].Text, null);
        story["text"] = $"Tell me how you {Resume.Experiences[0].Text}, and how the weekend rota shifts for the support staff changed?";
        var scenario = Good(null, Job.Skills[0]);
        scenario["category"] = "situational";
        scenario["text"] = $"If the weekend rota shifts left the support staff short during a {Job.Skills[0]} deadline, what would you do?";
        var dropped = new List<string>();

        Assert.Equal(2, PlanQuestionModel.Check(Reply(story, scenario), Resume, Job, 5, dropped).Count);
        Assert.Empty(dropped);
    }

    [Fact]
    public void Check_NearDuplicateOfAnEarlierQuestion_IsDropped()
    {
        var first = Good(Resume.Experiences[0].Text, null);
        var again = Good(Resume.Experiences[0].Text, null);
        again["text"] = $"Walk me through how you {Resume.Experiences[0].Text}, and what of it you would use here.";
        var dropped = new List<string>();

        var checkedQuestions = PlanQuestionModel.Check(Reply(first, again), Resume, Job, 5, dropped);

        Assert.Single(checkedQuestions);
        Assert.Contains("already asks", Assert.Single(dropped), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildAsync_DroppedModelQuestion_GivesItsPlaceToARuleWrittenOneAndEachQuestionSaysWhoWroteIt()
    {
        await using var server = await ScriptedProvider.StartAsync(Protocol.OpenAI);
        var leading = Good(Resume.Experiences[1].Text, null);
        leading["text"] = $"You {Resume.Experiences[1].Text}, so surely you are ready for this job?";
        server.DefaultText = Reply(Good(Resume.Experiences[0].Text, null), leading);
        var rulesOnly = await Planner(null).BuildAsync(Resume, Job, "data-analyst", default);

        var plan = await Planner(server).BuildAsync(Resume, Job, "data-analyst", default);

        var written = plan.Questions.Where(q => q.Source == PlanQuestion.Written).ToList();
        Assert.Equal(rulesOnly.Questions.Count(q => q.Source == PlanQuestion.Written), written.Count);
        Assert.DoesNotContain(written, q => q.Text.Contains("surely", StringComparison.Ordinal));
        Assert.Single(written, q => q.WrittenBy == "openai (gpt-4o-mini)");
        Assert.Equal(written.Count - 1, written.Count(q => q.WrittenBy == "rules"));
        Assert.All(plan.Questions.Where(q => q.Source == PlanQuestion.Bank), q => Assert.Equal("bank", q.WrittenBy));
        Assert.Equal($"openai (gpt-4o-mini): 1 of {plan.Questions.Count} questions", plan.QuestionsWrittenBy);
        Assert.Equal("1 of the model's 2 questions was left out: a leading question", plan.ModelLeftOut);
        Assert.DoesNotContain("surely", plan.ModelLeftOut!, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_QuoteIsOnlyPartOfAFact_QuestionIsKeptOnTheWholeFact()
    {
        var resume = FactExtractor.FromResume("Sam Roe\nExperience\n- Ran quarterly KPI reviews of 35 supplier contracts with the procurement team\nSkills: Excel");
        var job = FactExtractor.FromJob("Operations Manager\nResponsibilities\n- Manage supplier performance and contract reviews\nRequirements: Excel");
        var question = Good(null, null);
        question["text"] = "Tell me about a supplier whose performance slipped: what did the quarterly review show, and what did you do?";
        question["basedOn"] = new JsonObject { ["resume"] = "Ran quarterly KPI reviews of 35 supplier contracts", ["job"] = null };
        var dropped = new List<string>();

        var kept = Assert.Single(PlanQuestionModel.Check(Reply(question), resume, job, 5, dropped));

        Assert.Empty(dropped);
        Assert.Equal(resume.Experiences[0].Text, kept.BasedOn!.Resume);
    }

    [Fact]
    public void Match_QuoteOfOneTopicWordOrOfWordsNoFactHolds_StandsForNoFact()
    {
        string[] facts = ["ran quarterly KPI reviews of 35 supplier contracts", "cut average time-to-hire from 42 to 28 days"];

        Assert.Null(PlanQuestionModel.Match("supplier", facts));
        Assert.Null(PlanQuestionModel.Match("supplier onboarding audits", facts));
        Assert.Equal(facts[1], PlanQuestionModel.Match("Cut average time-to-hire.", facts));
    }

    [Fact]
    public void Check_SecondAskNamesADutyOfTheJob_QuestionIsKeptWhole()
    {
        var resume = FactExtractor.FromResume("Sam Roe\nExperience\n- Investigated two near-miss incidents on the packing line\nSkills: Excel");
        var job = FactExtractor.FromJob("Site Safety Lead\nResponsibilities\n- Lead incident reviews and share the lessons learned with the shift supervisors\n- Keep the risk register current\nRequirements: Excel");
        var question = Good(null, null);
        question["category"] = "situational";
        question["text"] = "How would you lead the investigation of an incident like the near-miss on the packing line, and how would you make sure lessons are learned and shared with the shift supervisors?";
        question["basedOn"] = new JsonObject { ["resume"] = resume.Experiences[0].Text, ["job"] = null };
        Assert.Contains(job.Responsibilities, d => d.Contains("shift supervisors", StringComparison.Ordinal));

        Assert.Equal((string)question["text"]!, Assert.Single(PlanQuestionModel.Check(Reply(question), resume, job, 5)).Text);
    }

    [Fact]
    public void LeftOut_CutOffReplyAndDroppedQuestions_AreToldInPlainWords()
    {
        var reply = new PlanModelReply([], "openai (gpt-4o-mini)", null, 2) { Reasons = ["a leading question", "names a tool found in neither document"], CutOff = true };

        Assert.Equal("2 of the model's 2 questions were left out: a leading question; names a tool found in neither document; "
            + "the model's reply was cut off after 2 questions", reply.LeftOut());
        Assert.Null(new PlanModelReply([], "openai (gpt-4o-mini)", null, 0).LeftOut());
    }

    [Fact]
    public async Task BuildAsync_ModelWritesAMotivationQuestion_PlanHasNoBankMotivationQuestionBesideIt()
    {
        await using var server = await ScriptedProvider.StartAsync(Protocol.OpenAI);
        var why = Good(null, Job.Skills[0]);
        why["category"] = "motivation";
        why["text"] = $"Why do you want a job built around {Job.Skills[0]}, and what of it do you look forward to?";
        server.DefaultText = Reply(Good(Resume.Experiences[0].Text, null), why);

        var plan = await Planner(server).BuildAsync(Resume, Job, "data-analyst", default);

        Assert.Single(plan.Questions, q => q.Category == "motivation");
        Assert.Contains(plan.Questions, q => q.Category == "motivation" && q.Source == PlanQuestion.Written);
    }

    private static JsonObject Good(string? resumeFact, string? jobFact) => new()
    {
        ["text"] = resumeFact is not null ? $"Tell me how you {resumeFact}, and what of it you would use here?" : $"How have you used {jobFact} to answer a question a team brought you?",
        ["category"] = "behavioral",
        ["competencies"] = new JsonArray("role-fit"),
        ["rubric"] = new JsonArray(
            new JsonObject { ["point"] = "Says what they did themselves", ["cues"] = new JsonArray("i led", "i built") },
            new JsonObject { ["point"] = "Explains a decision and its trade-off", ["cues"] = new JsonArray("decided", "trade-off") },
            new JsonObject { ["point"] = "Gives a measured result", ["cues"] = new JsonArray("percent", "result") }),
        ["basedOn"] = new JsonObject { ["resume"] = resumeFact, ["job"] = jobFact },
    };

    /// <summary>A good question on the résumé's first experience, its text the template with that experience as {0}.</summary>
    private static JsonObject OnFirstExperience(string template, string? more = null)
    {
        var question = Good(Resume.Experiences[0].Text, null);
        question["text"] = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Resume.Experiences[0].Text, more);
        return question;
    }

    private static string Reply(params JsonObject[] questions) => new JsonObject { ["questions"] = new JsonArray(questions) }.ToJsonString();

    private static InterviewPlanner Planner(ScriptedProvider? server)
    {
        var llm = new LlmOptions();
        if (server is not null)
        {
            llm.Providers.Add(new LlmProviderOptions
            {
                Kind = server.Protocol.ToString(),
                Model = server.Protocol == Protocol.OpenAI ? "gpt-4o-mini" : "llama3.1:8b",
                BaseUrl = server.BaseUrl.ToString(),
                ApiKey = ScriptedProvider.Key,
                TimeoutSeconds = 120,
            });
        }

        var embeddings = new KnowledgeEmbeddings(Options.Create(new KnowledgeOptions { Embeddings = { Provider = "none" } }), NullLogger<KnowledgeEmbeddings>.Instance, []);
        return new InterviewPlanner(Bank.BuiltIn, embeddings, Options.Create(new PlanOptions()), TimeProvider.System,
            new PlanQuestionModel(Options.Create(llm), TimeProvider.System, NullLogger<PlanQuestionModel>.Instance));
    }
}
