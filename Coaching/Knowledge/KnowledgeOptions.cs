using System.ComponentModel.DataAnnotations;

namespace CoachBot.Coaching.Knowledge;

/// <summary>Settings of the knowledge store and its embedding model.</summary>
public sealed class KnowledgeOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Knowledge";

    /// <summary>Where the built-in articles are; defaults to <c>knowledge/</c> next to the program.</summary>
    public string? ArticlesDirectory { get; set; }

    /// <summary>Index the built-in articles and every question's rubric at start-up.</summary>
    public bool IngestBuiltIn { get; set; } = true;

    /// <summary>Retrieve knowledge for every coached answer and ground the advice in it.</summary>
    public bool UseInCoaching { get; set; } = true;

    /// <summary>Files larger than this are skipped by <c>knowledge ingest</c>.</summary>
    [Range(1_024, 100 * 1024 * 1024)]
    public int MaxFileBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>The largest chunk, in approximate tokens.</summary>
    [Range(50, 2_000)]
    public int ChunkMaxTokens { get; set; } = 400;

    /// <summary>Chunks smaller than this are merged with the next section when they can be.</summary>
    [Range(10, 2_000)]
    public int ChunkMinTokens { get; set; } = 200;

    /// <summary>Tokens repeated from the end of one chunk at the start of the next when a long section is split.</summary>
    [Range(0, 500)]
    public int ChunkOverlapTokens { get; set; } = 50;

    /// <summary>The k of reciprocal rank fusion: 1/(k + rank).</summary>
    [Range(1, 1_000)]
    public int RrfK { get; set; } = 60;

    /// <summary>The weight of the vector ranking in reciprocal rank fusion (BM25 weighs 1).</summary>
    [Range(0.0, 10.0)]
    public double VectorWeight { get; set; } = 1.0;

    /// <summary>How many candidates each ranker contributes to hybrid fusion.</summary>
    [Range(5, 1_000)]
    public int CandidateDepth { get; set; } = 100;

    /// <summary>The embedding model.</summary>
    [Required]
    public EmbeddingOptions Embeddings { get; set; } = new();
}

/// <summary>Which embedding model turns text into vectors.</summary>
public sealed class EmbeddingOptions
{
    /// <summary>
    /// <c>builtin</c> (the embedded arctic-embed-xs sentence model), <c>ollama</c>, <c>openai</c> (any OpenAI-compatible
    /// server) or <c>none</c> (BM25 only).
    /// </summary>
    [Required]
    [RegularExpression("^(builtin|ollama|openai|none)$", ErrorMessage = "Knowledge:Embeddings:Provider must be builtin, ollama, openai or none.")]
    public string Provider { get; set; } = "builtin";

    /// <summary>The server for <c>ollama</c> (default <c>http://localhost:11434</c>) or <c>openai</c> (default <c>https://api.openai.com</c>).</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The model name for <c>ollama</c> (default <c>nomic-embed-text</c>) or <c>openai</c> (default <c>text-embedding-3-small</c>).</summary>
    public string? Model { get; set; }

    /// <summary>The API key for <c>openai</c>; from an environment variable or user-secrets, never a committed file.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long one embedding request may take.</summary>
    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 30;
}
