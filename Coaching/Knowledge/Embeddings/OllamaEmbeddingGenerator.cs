using System.Net;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OllamaSharp;
using OllamaSharp.Models;
using OllamaSharp.Models.Exceptions;

namespace CoachBot.Coaching.Knowledge.Embeddings;

/// <summary>
/// Ollama's <c>POST /api/embed</c> through OllamaSharp, in batches of 64 texts. Every failure becomes a
/// <see cref="KnowledgeException"/> that names the server and the reason (a missing model says to run
/// <c>ollama pull</c>), so search falls back to BM25 instead of crashing.
/// </summary>
internal sealed class OllamaEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private const int BatchSize = 64;

    private readonly HttpClient _http;
    private readonly OllamaApiClient _ollama;
    private readonly Uri _endpoint;
    private readonly string _model;
    private readonly EmbeddingGeneratorMetadata _metadata;

    /// <param name="http">The client to call through (owned: disposed with the generator); its base address is set here.</param>
    /// <param name="endpoint">The Ollama server, e.g. http://localhost:11434.</param>
    /// <param name="model">The embedding model, e.g. nomic-embed-text.</param>
    public OllamaEmbeddingGenerator(HttpClient http, Uri endpoint, string model)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(endpoint);
        _http = http;
        _endpoint = endpoint;
        _model = model;
        _http.BaseAddress = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        _ollama = new OllamaApiClient(_http, model);
        _metadata = new EmbeddingGeneratorMetadata("ollama", endpoint, $"ollama:{model}", null);
    }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var batch in values.Chunk(BatchSize))
        {
            var vectors = await EmbedAsync(batch, cancellationToken);
            if (vectors.Count != batch.Length)
            {
                throw new KnowledgeException($"The ollama embedding server returned {vectors.Count} vectors for {batch.Length} texts.");
            }

            result.AddRange(vectors.Select(v => new Embedding<float>(v) { ModelId = _metadata.DefaultModelId }));
        }

        return result;
    }

    private async Task<IReadOnlyList<float[]>> EmbedAsync(string[] batch, CancellationToken cancellationToken)
    {
        try
        {
            var reply = await _ollama.EmbedAsync(new EmbedRequest { Model = _model, Input = [.. batch] }, cancellationToken);
            return reply?.Embeddings ?? throw new KnowledgeException("The ollama embedding server returned no 'embeddings'.");
        }
        catch (HttpRequestException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new KnowledgeException(
                $"The ollama embedding server at {_endpoint} answered 404: it has no model '{_model}' (run `ollama pull {_model}` on that host, or set Knowledge:Embeddings:Model).", ex);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is { } status)
        {
            throw new KnowledgeException($"The ollama embedding server at {_endpoint} answered {(int)status} {status}.", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new KnowledgeException($"The ollama embedding server at {_endpoint} could not be reached: {ex.Message}", ex);
        }
        catch (OllamaException ex)
        {
            throw new KnowledgeException($"The ollama embedding server at {_endpoint} refused the request (400): {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            // An error page or a proxy's HTML: a clear failure, so search falls back to BM25 instead of crashing.
            throw new KnowledgeException($"The ollama embedding server sent a reply that is not the expected JSON: {ex.Message}", ex);
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => EmbeddingServices.Get(this, _metadata, serviceType, serviceKey);

    public void Dispose()
    {
        _ollama.Dispose();
        _http.Dispose();
    }
}
