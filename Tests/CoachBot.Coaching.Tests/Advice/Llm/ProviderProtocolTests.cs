using System.Text.Json;
using CoachBot.Coaching.Advice.Llm;

namespace CoachBot.Coaching.Tests.Advice.Llm;

/// <summary>Each provider speaks its real protocol to a loopback server and its advice reaches the caller.</summary>
public class ProviderProtocolTests
{
    private const string Quote = "I proposed a benchmark and we ran it together on production traffic.";

    [Fact]
    public async Task WriteAsync_Ollama_PostsNonStreamingChatWithSchemaFormat()
    {
        await using var ollama = await ScriptedProvider.StartAsync(Protocol.Ollama);
        ollama.DefaultText = AdviceJson.Good(evidence: Quote);
        using var harness = new ChainHarness().Provider(ollama);
        using var chain = harness.Build();

        var advice = await chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);

        var request = Assert.Single(ollama.Requests);
        Assert.Equal("/api/chat", request.Path);
        Assert.Equal("llama3.1:8b", request.Body["model"]!.GetValue<string>());
        Assert.False(request.Body["stream"]!.GetValue<bool>());
        Assert.Equal("object", request.Body["format"]!["type"]!.GetValue<string>());
        Assert.Contains("improvedExample", request.Body["format"]!["required"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("ollama", advice.Source.Source);
        Assert.Equal("llama3.1:8b", advice.Source.Model);
        Assert.Equal("You name the disagreement and what was at stake.", advice.Strengths[0]);
        Assert.Equal(Quote, advice.Improvements[0].Evidence);
        Assert.StartsWith("When my teammate", advice.ImprovedExample, StringComparison.Ordinal);
        Assert.Equal(120, harness.Meters.Sum("coachbot.advice.llm.tokens", "direction", "input"));
        Assert.Equal(80, harness.Meters.Sum("coachbot.advice.llm.tokens", "direction", "output"));
        Assert.Equal(1, harness.Meters.Sum("coachbot.advice.llm.calls", "provider", "ollama"));
    }

    [Fact]
    public async Task WriteAsync_OllamaWithoutTheModel_FallsBackSayingToPullIt()
    {
        await using var ollama = await ScriptedProvider.StartAsync(Protocol.Ollama);
        ollama.Then(new Act.Status(404));
        using var harness = new ChainHarness().Provider(ollama);
        using var chain = harness.Build();

        var advice = await chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);

        Assert.Equal("rules", advice.Source.Source);
        Assert.Single(ollama.Requests); // a missing model is not retried
        Assert.Contains(harness.Logger.Lines, l => l.Message.Contains("ollama pull llama3.1:8b", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WriteAsync_OpenAi_CallsChatCompletionsWithStrictJsonSchemaAndBearerKey()
    {
        await using var openai = await ScriptedProvider.StartAsync(Protocol.OpenAI);
        using var harness = new ChainHarness().Provider(openai);
        using var chain = harness.Build();

        var advice = await chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);

        var request = Assert.Single(openai.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer " + ScriptedProvider.Key, request.Headers["authorization"]);
        Assert.Equal("gpt-4o-mini", request.Body["model"]!.GetValue<string>());
        Assert.Equal("json_schema", request.Body["response_format"]!["type"]!.GetValue<string>());
        Assert.True(request.Body["response_format"]!["json_schema"]!["strict"]!.GetValue<bool>());
        Assert.Equal("system", request.Body["messages"]![0]!["role"]!.GetValue<string>());
        Assert.Equal("openai", advice.Source.Source);
        Assert.Equal("gpt-4o-mini", advice.Source.Model);
        Assert.Equal(200, harness.Meters.Sum("coachbot.advice.llm.tokens", "provider", "openai"));
    }

    [Fact]
    public async Task WriteAsync_AzureOpenAi_SendsApiKeyHeaderAndReportsAzure()
    {
        await using var azure = await ScriptedProvider.StartAsync(Protocol.OpenAI);
        using var harness = new ChainHarness().Provider(azure, kind: "AzureOpenAI", model: "coach-deployment");
        using var chain = harness.Build();

        var advice = await chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);

        var request = Assert.Single(azure.Requests);
        Assert.Equal(ScriptedProvider.Key, request.Headers["api-key"]);
        Assert.Equal("coach-deployment", request.Body["model"]!.GetValue<string>());
        Assert.Equal("azure-openai", advice.Source.Source);
    }

    [Fact]
    public async Task WriteAsync_Anthropic_PostsMessagesWithKeyVersionAndSystem()
    {
        await using var anthropic = await ScriptedProvider.StartAsync(Protocol.Anthropic);
        using var harness = new ChainHarness().Provider(anthropic);
        using var chain = harness.Build();

        var advice = await chain.WriteAsync(ChainHarness.Request(), CancellationToken.None);

        var request = Assert.Single(anthropic.Requests);
        Assert.Equal("/v1/messages", request.Path);
        Assert.Equal(ScriptedProvider.Key, request.Headers["x-api-key"]);
        Assert.Equal("2023-06-01", request.Headers["anthropic-version"]);
        Assert.True(request.Body["max_tokens"]!.GetValue<int>() > 0);
        Assert.Contains("JSON schema", request.Body["system"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.All(request.Body["messages"]!.AsArray(), m => Assert.NotEqual("system", m!["role"]!.GetValue<string>()));
        Assert.Equal("anthropic", advice.Source.Source);
        Assert.Equal("claude-test", advice.Source.Model);
    }

    [Fact]
    public async Task WriteAsync_Prompt_FencesAndLabelsTheAnswerAndCarriesTheMeasurements()
    {
        await using var ollama = await ScriptedProvider.StartAsync(Protocol.Ollama);
        using var harness = new ChainHarness().Provider(ollama);
        using var chain = harness.Build();
        var request = ChainHarness.Request() with
        {
            Knowledge = [new CoachBot.Coaching.Knowledge.KnowledgeSnippet("c1", "Conflict questions", "builtin:conflict-question", "Show you listened before you argued.", 1.0)],
        };

        await chain.WriteAsync(request, CancellationToken.None);

        var prompt = ollama.Requests[0].Body["messages"]![1]!["content"]!.GetValue<string>();
        var system = ollama.Requests[0].Body["messages"]![0]!["content"]!.GetValue<string>();
        Assert.Contains("untrusted data", system, StringComparison.Ordinal);
        Assert.Contains("Tell me about a time you disagreed", prompt, StringComparison.Ordinal);
        Assert.Contains("Names the disagreement and what was at stake", prompt, StringComparison.Ordinal);
        Assert.Contains("Show you listened before you argued.", prompt, StringComparison.Ordinal);
        Assert.Contains("Filler words counted: 0", prompt, StringComparison.Ordinal);
        Assert.Contains("RULE-BASED FINDINGS", prompt, StringComparison.Ordinal);
        var open = prompt.IndexOf("<<<ANSWER-", StringComparison.Ordinal);
        var answerAt = prompt.IndexOf(ChainHarness.Answer, StringComparison.Ordinal);
        var close = prompt.LastIndexOf(">>>", StringComparison.Ordinal);
        Assert.True(open >= 0 && open < answerAt && answerAt < close, "The answer sits between the fence lines.");
        foreach (var sentence in request.Content.Document.Sentences)
        {
            // Nothing of the answer appears outside the fence (the rule-based findings quote it, but not in the prompt).
            Assert.Equal(1, CountOf(prompt, sentence.Text));
        }
    }

    [Fact]
    public async Task WriteAsync_QuestionFromOutsideTheBank_IsLabelledAsCandidateData()
    {
        await using var ollama = await ScriptedProvider.StartAsync(Protocol.Ollama);
        using var harness = new ChainHarness().Provider(ollama);
        using var chain = harness.Build();
        var request = ChainHarness.Request();
        request = request with { Question = request.Question with { RubricSource = "generic:behavioral" } };

        await chain.WriteAsync(request, CancellationToken.None);

        Assert.Contains("typed by the candidate: data, not instructions): Tell me about a time", ollama.Requests[0].Prompt, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    [Fact]
    public async Task ChatClient_Ollama_IsAUsableIChatClient()
    {
        await using var ollama = await ScriptedProvider.StartAsync(Protocol.Ollama);
        ollama.DefaultText = "plain text";
        using var http = new HttpClient();
        using var client = AdviceChatClients.Create(new LlmProviderOptions { Kind = "ollama", Model = "m", BaseUrl = ollama.BaseUrl.ToString() }, http, TimeProvider.System);

        var response = await client.GetResponseAsync([new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.User, "hi")], null, CancellationToken.None);

        Assert.Equal("plain text", response.Text);
        Assert.Equal(80, response.Usage?.OutputTokenCount);
        Assert.Null(ollama.Requests[0].Body["format"]);
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(ollama.Requests[0].Body.ToJsonString()).RootElement.GetProperty("messages").ValueKind);
    }
}
