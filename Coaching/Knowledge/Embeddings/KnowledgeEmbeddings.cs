using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Knowledge.Embeddings;

/// <summary>
/// The embedding model the knowledge store uses, chosen once from <see cref="EmbeddingOptions"/> (or a generator
/// registered in the container), or the reason there is none; then search is BM25 only, said once in a warning.
/// </summary>
internal sealed class KnowledgeEmbeddings : IDisposable
{
    private readonly bool _owned;

    public KnowledgeEmbeddings(IOptions<KnowledgeOptions> options, ILogger<KnowledgeEmbeddings> logger, IEnumerable<IEmbeddingGenerator<string, Embedding<float>>> registered)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(registered);
        if (registered.LastOrDefault() is { } generator)
        {
            Generator = generator;
            ModelId = ModelIdOf(generator);
            return;
        }

        _owned = true;
        var settings = options.Value.Embeddings;
        var timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds);
        switch (settings.Provider)
        {
            case "none":
                UnavailableReason = "Knowledge:Embeddings:Provider is 'none'.";
                break;
            case "ollama":
                Generator = new OllamaEmbeddingGenerator(new HttpClient(NoRedirects()) { Timeout = timeout },
                    settings.Endpoint ?? new Uri("http://localhost:11434"), settings.Model ?? "nomic-embed-text");
                break;
            case "openai":
                Generator = new OpenAiEmbeddingGenerator(new HttpClient(NoRedirects()) { Timeout = timeout },
                    settings.Endpoint ?? new Uri("https://api.openai.com"), settings.Model ?? "text-embedding-3-small", settings.ApiKey);
                break;
            default:
                Generator = new SentenceModelEmbeddingGenerator();
                break;
        }

        if (Generator is not null)
        {
            ModelId = ModelIdOf(Generator);
        }
        else
        {
            Log.EmbeddingsUnavailable(logger, UnavailableReason!);
        }
    }

    /// <summary>The generator, or null when search is BM25 only.</summary>
    public IEmbeddingGenerator<string, Embedding<float>>? Generator { get; private set; }

    /// <summary>The model id stored with every vector.</summary>
    public string? ModelId { get; private set; }

    /// <summary>Why there is no generator.</summary>
    public string? UnavailableReason { get; private set; }

    /// <summary>Stops using the generator (it failed); search continues on BM25 and says why.</summary>
    public void Disable(string reason)
    {
        Generator = null;
        UnavailableReason = reason;
    }

    // Keys travel in headers that .NET keeps on a redirect, so an embedding server is never followed elsewhere.
    private static SocketsHttpHandler NoRedirects() => new() { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };

    private static string ModelIdOf(IEmbeddingGenerator<string, Embedding<float>> generator) =>
        generator.GetService(typeof(EmbeddingGeneratorMetadata)) is EmbeddingGeneratorMetadata { DefaultModelId: { } id }
            ? id
            : generator.GetType().FullName ?? "unknown";

    public void Dispose()
    {
        if (_owned)
        {
            Generator?.Dispose();
        }
    }
}
