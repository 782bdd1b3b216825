using System.Text.Json.Nodes;
using CoachBot.Coaching.Knowledge;
using CoachBot.Coaching.Knowledge.Embeddings;
using CoachBot.Coaching.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace CoachBot.Coaching.Tests.Knowledge.Embeddings;

/// <summary>
/// The Ollama and OpenAI-compatible generators against real HTTP servers on 127.0.0.1 that speak those protocols:
/// each server embeds with the built-in SIF model, so search results mean something.
/// </summary>
public sealed class HttpEmbeddingGeneratorTests : IAsyncLifetime
{
    private readonly List<JsonObject> _requests = [];
    private readonly List<string?> _authorizations = [];
    private LoopbackHttpServer? _server;

    public Uri Address { get; private set; } = null!;

    public int FailWith { get; set; }

    public bool SendHtml { get; set; }

    public async Task InitializeAsync()
    {
        var sif = KnowledgeFixture.SentenceModel();
        _server = await LoopbackHttpServer.StartAsync(app =>
        {
            app.MapPost("/api/embed", async (HttpContext context) =>
            {
                var body = await Read(context);
                if (SendHtml)
                {
                    return Results.Text("<html><body>Proxy error</body></html>", "text/html");
                }

                if (FailWith != 0)
                {
                    return Results.Text("{\"error\":\"model 'nomic-embed-text' not found\"}", "application/json", statusCode: FailWith);
                }

                var inputs = body["input"]!.AsArray().Select(i => i!.GetValue<string>()).ToList();
                return Results.Json(new { model = body["model"]!.GetValue<string>(), embeddings = inputs.Select(sif.Embed) });
            });
            app.MapPost("/v1/embeddings", async (HttpContext context) =>
            {
                var body = await Read(context);
                if (SendHtml)
                {
                    return Results.Text("<html><body>Proxy error</body></html>", "text/html");
                }

                if (FailWith != 0)
                {
                    return Results.Json(new { error = new { message = "Incorrect API key provided" } }, statusCode: FailWith);
                }

                var inputs = body["input"]!.AsArray().Select(i => i!.GetValue<string>()).ToList();
                // Returned out of order on purpose: clients must place each vector by its index.
                var data = inputs.Select((text, index) => new { @object = "embedding", index, embedding = sif.Embed(text) }).Reverse();
                return Results.Json(new { @object = "list", data, model = body["model"]!.GetValue<string>(), usage = new { prompt_tokens = 1, total_tokens = 1 } });
            });
        });
        Address = _server.BaseAddress;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private async Task<JsonObject> Read(HttpContext context)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        lock (_requests)
        {
            _requests.Add(body);
            _authorizations.Add(context.Request.Headers.Authorization.FirstOrDefault());
        }

        return body;
    }

    [Fact]
    public async Task Ollama_GenerateAsync_PostsModelAndInputsToApiEmbed()
    {
        using var generator = new OllamaEmbeddingGenerator(new HttpClient(), Address, "nomic-embed-text");

        var embeddings = await generator.GenerateAsync(["how do I stop saying um", "salary range"]);

        Assert.Equal(2, embeddings.Count);
        Assert.Equal(KnowledgeFixture.SentenceModel().Embed("salary range"), embeddings[1].Vector.ToArray());
        Assert.Equal("nomic-embed-text", _requests[0]["model"]!.GetValue<string>());
        Assert.Equal(2, _requests[0]["input"]!.AsArray().Count);
        Assert.Equal("ollama:nomic-embed-text", generator.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelId);
    }

    [Fact]
    public async Task OpenAi_GenerateAsync_SendsTheKeyAndOrdersVectorsByIndex()
    {
        using var generator = new OpenAiEmbeddingGenerator(new HttpClient(), Address, "text-embedding-3-small", "sk-test");

        var embeddings = await generator.GenerateAsync(["first text about pauses", "second text about salary", "third about bugs"]);

        Assert.Equal(KnowledgeFixture.SentenceModel().Embed("first text about pauses"), embeddings[0].Vector.ToArray());
        Assert.Equal(KnowledgeFixture.SentenceModel().Embed("third about bugs"), embeddings[2].Vector.ToArray());
        Assert.Equal("Bearer sk-test", _authorizations[0]);
        Assert.Equal("text-embedding-3-small", _requests[0]["model"]!.GetValue<string>());
        Assert.Equal("float", _requests[0]["encoding_format"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenAi_EndpointEndingInV1_IsNotDoubled()
    {
        using var generator = new OpenAiEmbeddingGenerator(new HttpClient(), new Uri(Address, "/v1"), "local-model", null);

        var embeddings = await generator.GenerateAsync(["pauses"]);

        Assert.Single(embeddings);
        Assert.Null(_authorizations[0]);
    }

    [Theory]
    [InlineData("ollama")]
    [InlineData("openai")]
    public async Task GenerateAsync_ServerAnswersWithAnHtmlPage_FailsAsAKnowledgeError(string provider)
    {
        SendHtml = true;
        using IEmbeddingGenerator<string, Embedding<float>> generator = provider == "ollama"
            ? new OllamaEmbeddingGenerator(new HttpClient(), Address, "nomic-embed-text")
            : new OpenAiEmbeddingGenerator(new HttpClient(), Address, "text-embedding-3-small", "sk-test");

        var error = await Assert.ThrowsAsync<KnowledgeException>(() => generator.GenerateAsync(["pauses"]));

        Assert.Contains("not the expected JSON", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ollama", 404, "404")]
    [InlineData("openai", 401, "Incorrect API key")]
    public async Task GenerateAsync_ServerRefuses_SaysWhoAndWhy(string provider, int status, string expected)
    {
        FailWith = status;
        using IEmbeddingGenerator<string, Embedding<float>> generator = provider == "ollama"
            ? new OllamaEmbeddingGenerator(new HttpClient(), Address, "nomic-embed-text")
            : new OpenAiEmbeddingGenerator(new HttpClient(), Address, "text-embedding-3-small", "bad");

        var error = await Assert.ThrowsAsync<KnowledgeException>(() => generator.GenerateAsync(["pauses"]));

        Assert.Contains(provider, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ollama_ModelMissing_SaysToPullIt()
    {
        FailWith = 404;
        using var generator = new OllamaEmbeddingGenerator(new HttpClient(), Address, "nomic-embed-text");

        var error = await Assert.ThrowsAsync<KnowledgeException>(() => generator.GenerateAsync(["pauses"]));

        Assert.Contains("ollama pull nomic-embed-text", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ollama")]
    [InlineData("openai")]
    public async Task Store_ConfiguredProvider_IngestsAndSearchesThroughTheServer(string provider)
    {
        var options = new KnowledgeOptions { Embeddings = { Provider = provider, Endpoint = Address, ApiKey = "sk-test" } };
        using var fixture = new KnowledgeFixture(options);
        await fixture.Store.IngestAsync(
        [
            Doc.Of("salary.md", "Give a researched salary range anchored on market data.", title: "Salary"),
            Doc.Of("pauses.md", "A silent pause before a key point makes it land.", title: "Pauses"),
        ], default);

        var result = await fixture.Store.SearchAsync(new KnowledgeQuery("how much pay to ask for") { Mode = KnowledgeSearchMode.Vector, Top = 1 }, default);

        Assert.Equal($"{provider}:{(provider == "ollama" ? "nomic-embed-text" : "text-embedding-3-small")}", result.EmbeddingModel);
        Assert.Equal("salary.md", result.Hits[0].Snippet.Source);
        Assert.NotEmpty(_requests);
    }

    [Fact]
    public async Task Store_ProviderDownAtQueryTime_HybridAnswersWithBm25AndVectorIsRefused()
    {
        var logs = new LogCollector();
        using var fixture = new KnowledgeFixture(new KnowledgeOptions { Embeddings = { Provider = "ollama", Endpoint = Address } }, logs: logs);
        await fixture.Store.IngestAsync([Doc.Of("salary.md", "Give a researched salary range.", title: "Salary")], default);
        FailWith = 503;

        var hybrid = await fixture.Store.SearchAsync(new KnowledgeQuery("salary range"), default);
        var vector = await Assert.ThrowsAsync<KnowledgeException>(() => fixture.Store.SearchAsync(new KnowledgeQuery("salary range") { Mode = KnowledgeSearchMode.Vector }, default));

        Assert.Equal(KnowledgeSearchMode.Bm25, hybrid.Mode);
        Assert.Equal("salary.md", hybrid.Hits[0].Snippet.Source);
        Assert.Contains("503", vector.Message, StringComparison.Ordinal);
        Assert.Contains(logs.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("BM25 only", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Store_ProviderDownAtStart_FallsBackToBm25AndSaysWhy()
    {
        var logs = new LogCollector();
        var options = new KnowledgeOptions { Embeddings = { Provider = "ollama", Endpoint = Address } };
        using var database = new TempDatabase();
        using (var seeded = new KnowledgeFixture(new KnowledgeOptions { Embeddings = { Provider = "none" } }, database: database))
        {
            await seeded.Store.IngestAsync([Doc.Of("salary.md", "Give a researched salary range.", title: "Salary")], default);
        }

        FailWith = 500;
        using var fixture = new KnowledgeFixture(options, database: database, logs: logs);
        var result = await fixture.Store.SearchAsync(new KnowledgeQuery("salary range"), default);

        Assert.Equal(KnowledgeSearchMode.Bm25, result.Mode);
        Assert.Equal("salary.md", result.Hits[0].Snippet.Source);
        Assert.Contains(logs.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("ollama", StringComparison.Ordinal) && l.Message.Contains("500", StringComparison.Ordinal));
    }
}
