using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;

namespace CoachBot.Coaching.Knowledge.Embeddings;

/// <summary>Common parts of the embedding generators that call a server: batching, error messages, metadata.</summary>
internal abstract class HttpEmbeddingGenerator(HttpClient http, string provider, Uri endpoint, string model) : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>Texts per request.</summary>
    private const int BatchSize = 64;

    private readonly EmbeddingGeneratorMetadata _metadata = new(provider, endpoint, $"{provider}:{model}", null);

    protected HttpClient Http { get; } = http;

    protected string Model { get; } = model;

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var batch in values.Chunk(BatchSize))
        {
            using var response = await SendAsync(batch, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new KnowledgeException(
                    $"The {provider} embedding server at {endpoint} answered {(int)response.StatusCode} {response.ReasonPhrase}: {(body.Length > 300 ? body[..300] : body)}");
            }

            IReadOnlyList<float[]> vectors;
            try
            {
                vectors = await ReadAsync(response, cancellationToken);
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or NotSupportedException)
            {
                // An error page or a proxy's HTML: a clear failure, so search falls back to BM25 instead of crashing.
                throw new KnowledgeException($"The {provider} embedding server sent a reply that is not the expected JSON: {ex.Message}", ex);
            }

            if (vectors.Count != batch.Length)
            {
                throw new KnowledgeException($"The {provider} embedding server returned {vectors.Count} vectors for {batch.Length} texts.");
            }

            result.AddRange(vectors.Select(v => new Embedding<float>(v) { ModelId = _metadata.DefaultModelId }));
        }

        return result;
    }

    protected abstract Task<HttpResponseMessage> SendAsync(string[] batch, CancellationToken cancellationToken);

    protected abstract Task<IReadOnlyList<float[]>> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) => EmbeddingServices.Get(this, _metadata, serviceType, serviceKey);

    public void Dispose()
    {
        Http.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static Uri Combine(Uri root, string path) =>
        new(root.ToString().TrimEnd('/') + "/" + path.TrimStart('/'));
}

/// <summary>
/// An OpenAI-compatible <c>POST /v1/embeddings</c> (<c>{model, input[]}</c> → <c>{data[{index, embedding[]}]}</c>) over
/// HttpClient: OpenAI, Azure OpenAI's v1 surface, vLLM, LM Studio, llama.cpp's server.
/// </summary>
internal sealed class OpenAiEmbeddingGenerator : HttpEmbeddingGenerator
{
    private readonly Uri _url;
    private readonly string? _apiKey;

    public OpenAiEmbeddingGenerator(HttpClient http, Uri endpoint, string model, string? apiKey)
        : base(http, "openai", endpoint, model)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _url = Combine(endpoint, endpoint.AbsolutePath.TrimEnd('/').EndsWith("/v1", StringComparison.Ordinal) ? "embeddings" : "v1/embeddings");
        _apiKey = apiKey;
    }

    protected override Task<HttpResponseMessage> SendAsync(string[] batch, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _url)
        {
            Content = JsonContent.Create(new OpenAiRequest(Model, batch, "float"), options: EmbeddingJson.Options),
        };
        if (!string.IsNullOrEmpty(_apiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        }

        return SendAndDisposeAsync(request, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAndDisposeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            return await Http.SendAsync(request, cancellationToken);
        }
    }

    protected override async Task<IReadOnlyList<float[]>> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadFromJsonAsync<OpenAiResponse>(EmbeddingJson.Options, cancellationToken);
        if (body?.Data is not { } data || data.Any(d => d.Embedding is null))
        {
            throw new KnowledgeException("The OpenAI-compatible embedding server returned no 'data[].embedding'.");
        }

        return [.. data.OrderBy(d => d.Index).Select(d => d.Embedding!)];
    }

    private sealed record OpenAiRequest(string Model, string[] Input, [property: JsonPropertyName("encoding_format")] string EncodingFormat);

    private sealed record OpenAiResponse(OpenAiEmbedding[]? Data);

    private sealed record OpenAiEmbedding(int Index, float[]? Embedding);
}

internal static class EmbeddingJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
