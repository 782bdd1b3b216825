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

        Assert.Equal("rules", plan.QuestionsWrittenBy);
        Assert.Equal(
            rulesOnly.Questions.Where(q => q.Source == PlanQuestion.Written).Select(q => q.Text),
            plan.Questions.Where(q => q.Source == PlanQuestion.Written).Select(q => q.Text));
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
