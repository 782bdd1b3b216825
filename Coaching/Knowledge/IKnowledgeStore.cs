namespace CoachBot.Coaching.Knowledge;

/// <summary>
/// The coaching knowledge base: documents split into heading-aware chunks, searchable by full text (FTS5, BM25),
/// by meaning (cosine over embeddings) or both (reciprocal rank fusion), with role, category and source filters.
/// Lives in the same database as the rest of CoachBot (SQLite: FTS5 BM25; PostgreSQL: tsvector ranked by ts_rank_cd).
/// </summary>
public interface IKnowledgeStore
{
    /// <summary>
    /// Adds or replaces documents by <see cref="KnowledgeDocument.Source"/>. Idempotent: a document whose content hash is
    /// unchanged is left alone, and a chunk whose text was embedded before by the current model is not embedded again.
    /// </summary>
    Task<KnowledgeIngestResult> IngestAsync(IReadOnlyList<KnowledgeDocument> documents, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the document with this <see cref="KnowledgeDocument.Source"/>, its chunks and the vectors no other chunk
    /// uses; false when the store holds no such document.
    /// </summary>
    /// <exception cref="KnowledgeException">The source is empty.</exception>
    Task<bool> DeleteAsync(string source, CancellationToken cancellationToken);

    /// <summary>Finds the chunks that best match <paramref name="query"/>.</summary>
    /// <exception cref="KnowledgeException">The query asks for vector search while no embedding model is available.</exception>
    Task<KnowledgeSearchResult> SearchAsync(KnowledgeQuery query, CancellationToken cancellationToken);

    /// <summary>Counts of documents, chunks and embeddings, and the embedding model in use.</summary>
    Task<KnowledgeStats> GetStatsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Reads one document by its <see cref="KnowledgeDocument.Source"/> (the id an article pointer carries): its title and
    /// its text, put back together from its chunks in order; null when the store holds no document with that source.
    /// </summary>
    Task<KnowledgeArticle?> GetDocumentAsync(string source, CancellationToken cancellationToken);
}

/// <summary>One document of the knowledge store as a reader sees it.</summary>
/// <param name="Source">Its id: <c>builtin:&lt;article-id&gt;</c>, <c>rubric:&lt;question-id&gt;</c> or a file name.</param>
/// <param name="Title">The document title.</param>
/// <param name="Text">
/// The full text in the order of its chunks, paragraphs separated by a blank line; the section headings the chunks keep
/// are written as Markdown headings (<c>## </c>).
/// </param>
/// <param name="Roles">Roles it is for; empty means every role.</param>
/// <param name="Categories">Question categories it is for; empty means every category.</param>
public sealed record KnowledgeArticle(string Source, string Title, string Text, IReadOnlyList<string> Roles, IReadOnlyList<string> Categories);

/// <summary>A document to ingest.</summary>
/// <param name="Source">Stable identity: <c>builtin:&lt;article-id&gt;</c>, <c>rubric:&lt;question-id&gt;</c> or a file name.</param>
/// <param name="Title">The document title (the first part of every chunk's title path).</param>
/// <param name="Text">The body as plain text or Markdown (headings start with <c>#</c>).</param>
public sealed record KnowledgeDocument(string Source, string Title, string Text)
{
    /// <summary>Roles the document is for; empty means every role.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>Question categories the document is for; empty means every category.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Free tags (searched as text, with more weight than the body).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
}

/// <summary>What <see cref="IKnowledgeStore.IngestAsync"/> did.</summary>
/// <param name="Added">New documents.</param>
/// <param name="Updated">Documents whose content changed and were re-chunked.</param>
/// <param name="Unchanged">Documents left alone because their content hash matched.</param>
/// <param name="Chunks">Chunks written.</param>
/// <param name="Embedded">Chunks sent to the embedding model (chunks with a stored vector for the same text are reused).</param>
public sealed record KnowledgeIngestResult(int Added, int Updated, int Unchanged, int Chunks, int Embedded);

/// <summary>How to rank.</summary>
public enum KnowledgeSearchMode
{
    /// <summary>Vector and BM25 candidates fused by reciprocal rank (BM25 alone when no embedding model is available).</summary>
    Hybrid,

    /// <summary>Full text only (SQLite: FTS5 BM25; PostgreSQL: ts_rank_cd).</summary>
    Bm25,

    /// <summary>Cosine similarity of embeddings only.</summary>
    Vector,
}

/// <summary>A search.</summary>
/// <param name="Text">What to look for, in plain words.</param>
public sealed record KnowledgeQuery(string Text)
{
    /// <summary>Only documents for this role (documents for every role included).</summary>
    public string? Role { get; init; }

    /// <summary>Only documents for this question category (documents for every category included).</summary>
    public string? Category { get; init; }

    /// <summary>Only documents whose source starts with this (e.g. <c>builtin:</c>, <c>rubric:</c>, a file name).</summary>
    public string? SourcePrefix { get; init; }

    /// <summary>How many chunks to return (1–50).</summary>
    public int Top { get; init; } = 5;

    /// <summary>How to rank.</summary>
    public KnowledgeSearchMode Mode { get; init; } = KnowledgeSearchMode.Hybrid;
}

/// <summary>Search hits, best first, and how they were found.</summary>
/// <param name="Hits">The chunks, best first.</param>
/// <param name="Mode">The mode that actually ran (hybrid falls back to BM25 without an embedding model).</param>
/// <param name="EmbeddingModel">The embedding model used, or null.</param>
public sealed record KnowledgeSearchResult(IReadOnlyList<KnowledgeHit> Hits, KnowledgeSearchMode Mode, string? EmbeddingModel);

/// <summary>One search hit.</summary>
/// <param name="Snippet">The chunk as coaching advice consumes it.</param>
/// <param name="Roles">The document's roles (empty: every role).</param>
/// <param name="Categories">The document's categories (empty: every category).</param>
/// <param name="Bm25Rank">1-based rank among the BM25 candidates, or null.</param>
/// <param name="VectorRank">1-based rank among the vector candidates, or null.</param>
public sealed record KnowledgeHit(KnowledgeSnippet Snippet, IReadOnlyList<string> Roles, IReadOnlyList<string> Categories, int? Bm25Rank, int? VectorRank);

/// <summary>What the store holds.</summary>
/// <param name="Documents">Documents.</param>
/// <param name="Chunks">Chunks.</param>
/// <param name="EmbeddedChunks">Chunks with a vector from the current model.</param>
/// <param name="EmbeddingModel">The current embedding model, or null when there is none.</param>
/// <param name="EmbeddingUnavailableReason">Why there is no embedding model, when there is none.</param>
/// <param name="Sources">Chunk counts by source kind (<c>builtin</c>, <c>rubric</c>, <c>file</c>).</param>
/// <param name="VectorMatrixBytes">Memory held by the in-memory vector matrix.</param>
public sealed record KnowledgeStats(
    int Documents,
    int Chunks,
    int EmbeddedChunks,
    string? EmbeddingModel,
    string? EmbeddingUnavailableReason,
    IReadOnlyDictionary<string, int> Sources,
    long VectorMatrixBytes);

/// <summary>A knowledge request that cannot be served; the message says why.</summary>
public sealed class KnowledgeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KnowledgeException()
    {
    }

    /// <summary>Creates the exception with a message for the user.</summary>
    public KnowledgeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public KnowledgeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
