using System.Data.Common;
using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using CoachBot.Coaching;
using CoachBot.Coaching.Knowledge;
using CoachBot.Coaching.Knowledge.Embeddings;
using CoachBot.Coaching.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Storage;

/// <summary>
/// The knowledge store over a SQL database, whichever provider holds it: documents and heading-aware chunks in tables,
/// embeddings as float32 bytes keyed by (chunk text hash, model id), and an in-memory matrix of the current model's vectors
/// for cosine search. On first use it drops vectors of any other model and embeds what is missing (a changed model
/// re-embeds everything, never mixes), ingests the built-in knowledge (unchanged documents are skipped by hash), and loads
/// the matrix. Chunking, embedding, fusion and the snippets are here, once; a provider adds only its full-text index and
/// ranking (<see cref="FullTextAsync"/>), how a chunk enters and leaves that index, and, where several instances share the
/// database, a lock around writes and a generation that tells each instance when to reload its matrix.
/// </summary>
internal abstract class SqlKnowledgeStore : IKnowledgeStore, IDisposable
{
    private const int MaxTop = 50;

    private readonly KnowledgeEmbeddings _embeddings;
    private readonly BuiltInKnowledge? _builtIn;
    private readonly KnowledgeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writes = new(1, 1);
    private readonly Lazy<Task> _ready;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _documentFrequency = new(StringComparer.Ordinal);
    private volatile VectorIndex _index = new();
    private long _chunkCount = -1;

    // The generation of the shared knowledge the matrix was loaded at (providers that follow other instances), or -1.
    private long _loadedGeneration = -1;

    protected SqlKnowledgeStore(ISqlDatabase database, KnowledgeEmbeddings embeddings, IOptions<KnowledgeOptions> options,
        TimeProvider time, ILogger logger, BuiltInKnowledge? builtIn)
    {
        ArgumentNullException.ThrowIfNull(options);
        Database = database;
        _embeddings = embeddings;
        _builtIn = builtIn;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _ready = new Lazy<Task>(() => InitializeAsync(CancellationToken.None));
    }

    protected ISqlDatabase Database { get; }

    public void Dispose() => _writes.Dispose();

    /// <summary>Rows in the in-memory vector matrix.</summary>
    internal int VectorCount => _index.Count;

    /// <summary>Migrates, re-embeds, ingests the built-in knowledge and loads the vector matrix, once.</summary>
    public Task EnsureReadyAsync(CancellationToken cancellationToken) => _ready.Value.WaitAsync(cancellationToken);

    // ---- what a provider supplies ----

    /// <summary>
    /// The chunks whose text matches any of <paramref name="terms"/> (content words, a–z and 0–9 only), best first, with the
    /// provider's own relevance score (higher is better), within the query's role, category and source filters.
    /// </summary>
    protected abstract Task<List<(long Id, double Score)>> FullTextAsync(DbConnection connection, IReadOnlyList<string> terms, KnowledgeQuery query, int depth, CancellationToken cancellationToken);

    /// <summary>How many chunks contain <paramref name="term"/> (for leaving common words out of a large store's queries).</summary>
    protected abstract Task<long> CountMatchesAsync(DbConnection connection, string term, CancellationToken cancellationToken);

    /// <summary>Stores one chunk and puts it in the full-text index; returns its id.</summary>
    protected abstract Task<long> InsertChunkAsync(DbConnection connection, long documentId, Chunk chunk, string key, string hash, string tags, CancellationToken cancellationToken);

    /// <summary>Removes a document's chunks and their full-text entries.</summary>
    protected abstract Task DeleteChunksAsync(DbConnection connection, long documentId, CancellationToken cancellationToken);

    /// <summary>
    /// Holds other instances' writes off until the returned handle is disposed (a database-wide lock taken on
    /// <paramref name="connection"/>), or null where one process owns the writes.
    /// </summary>
    protected virtual Task<IAsyncDisposable?> LockWritesAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable?>(null);

    /// <summary>
    /// The generation of the shared knowledge (bumped by every write on any instance), or null where no other instance
    /// writes: the matrix is reloaded before a search when it is not the one it was loaded at.
    /// </summary>
    protected virtual Task<long?> ReadGenerationAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<long?>(null);

    /// <summary>Bumps the generation inside a write's transaction and returns the new one, or null (see <see cref="ReadGenerationAsync"/>).</summary>
    protected virtual Task<long?> BumpGenerationAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<long?>(null);

    // ---- the store ----

    public async Task<KnowledgeIngestResult> IngestAsync(IReadOnlyList<KnowledgeDocument> documents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        // Refused before anything is written, so a batch with one bad document stores none of it. The size limit is the one
        // `knowledge ingest` applies to files; the built-in knowledge, ingested at start-up, is not held to it.
        foreach (var document in documents)
        {
            Validate(document);
            if (document.Text.Length > _options.MaxFileBytes)
            {
                throw new KnowledgeException(string.Create(CultureInfo.InvariantCulture,
                    $"The knowledge document '{document.Source}' has {document.Text.Length:N0} characters; at most {_options.MaxFileBytes:N0} are accepted (Knowledge:MaxFileBytes). Split it, or raise the limit; nothing was ingested."));
            }
        }

        await EnsureReadyAsync(cancellationToken);
        var result = await IngestCoreAsync(documents, updateIndex: true, cancellationToken);
        Log.KnowledgeIngested(_logger, result.Added, result.Updated, result.Unchanged, result.Chunks, result.Embedded);
        return result;
    }

    public async Task<bool> DeleteAsync(string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (string.IsNullOrWhiteSpace(source))
        {
            throw new KnowledgeException("Which document? Give its source (the id `knowledge search` and `knowledge show` print).");
        }

        await EnsureReadyAsync(cancellationToken);
        await _writes.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await Database.OpenConnectionAsync(cancellationToken);
            await using var writeLock = await LockWritesAsync(connection, cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var id = await LongOrNullAsync(connection, "SELECT id FROM knowledge_documents WHERE source = @source", cancellationToken, ("@source", source));
            if (id is not { } documentId)
            {
                return false;
            }

            var removed = await connection.RowsAsync("SELECT id FROM knowledge_chunks WHERE document_id = @doc", r => r.Long(0), cancellationToken, ("@doc", documentId));
            await DeleteChunksAsync(connection, documentId, cancellationToken);
            await connection.RunAsync("DELETE FROM knowledge_documents WHERE id = @doc", cancellationToken, ("@doc", documentId));
            await DeleteUnusedVectorsAsync(connection, cancellationToken);
            var generation = await BumpGenerationAsync(connection, cancellationToken);
            await transaction.CommitAsync(cancellationToken);

            ChangedByThisInstance(generation);
            foreach (var chunk in removed)
            {
                _index.Remove(chunk);
            }

            Log.KnowledgeDeleted(_logger, source, removed.Count);
            return true;
        }
        finally
        {
            _writes.Release();
        }
    }

    public async Task<KnowledgeSearchResult> SearchAsync(KnowledgeQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (string.IsNullOrWhiteSpace(query.Text))
        {
            throw new KnowledgeException("The search query is empty.");
        }

        if (query.Top is < 1 or > MaxTop)
        {
            throw new KnowledgeException($"Top must be between 1 and {MaxTop}.");
        }

        await EnsureReadyAsync(cancellationToken);
        var generator = _embeddings.Generator;
        var mode = query.Mode;
        if (generator is null)
        {
            if (mode == KnowledgeSearchMode.Vector)
            {
                throw new KnowledgeException($"Vector search is not available: {_embeddings.UnavailableReason}.");
            }

            mode = KnowledgeSearchMode.Bm25;
        }

        var depth = mode == KnowledgeSearchMode.Hybrid ? Math.Max(_options.CandidateDepth, query.Top) : query.Top;
        await using var connection = await Database.OpenConnectionAsync(cancellationToken);
        await FollowOtherInstancesAsync(connection, cancellationToken);
        List<(long Id, double Score)> bm25 = mode == KnowledgeSearchMode.Vector ? [] : await Bm25Async(connection, query, depth, cancellationToken);
        List<(long Id, float Score)> vector = [];
        if (mode != KnowledgeSearchMode.Bm25)
        {
            try
            {
                var embedding = await generator!.GenerateVectorAsync(query.Text, EmbeddingInputs.Query, cancellationToken);
                vector = _index.Search(embedding.Span, depth, query.Role, query.Category, query.SourcePrefix);
            }
            catch (Exception ex) when (ex is HttpRequestException or KnowledgeException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                if (mode == KnowledgeSearchMode.Vector)
                {
                    throw new KnowledgeException($"Vector search failed: the embedding model {_embeddings.ModelId} could not embed the query: {ex.Message}", ex);
                }

                // Hybrid degrades to BM25, visibly: the result's mode says so and the log says why.
                Log.QueryEmbeddingFailed(_logger, ex, _embeddings.ModelId ?? "?");
                mode = KnowledgeSearchMode.Bm25;
            }
        }

        var bm25Rank = bm25.Select((h, i) => (h.Id, Rank: i + 1)).ToDictionary(x => x.Id, x => x.Rank);
        var vectorRank = vector.Select((h, i) => (h.Id, Rank: i + 1)).ToDictionary(x => x.Id, x => x.Rank);
        List<(long Id, double Score)> ranked = mode switch
        {
            KnowledgeSearchMode.Bm25 => [.. bm25.Take(query.Top)],
            KnowledgeSearchMode.Vector => [.. vector.Take(query.Top).Select(v => (v.Id, (double)v.Score))],
            _ => Fuse(bm25Rank, vectorRank, _options.RrfK, _options.VectorWeight, query.Top),
        };

        var rows = await LoadChunksAsync(connection, ranked.Select(r => r.Id).ToList(), cancellationToken);
        var hits = ranked.Where(r => rows.ContainsKey(r.Id)).Select(r =>
        {
            var row = rows[r.Id];
            return new KnowledgeHit(new KnowledgeSnippet(row.Key, row.TitlePath, row.Source, row.Text, Math.Round(r.Score, 6)),
                row.Roles, row.Categories, bm25Rank.TryGetValue(r.Id, out var b) ? b : null, vectorRank.TryGetValue(r.Id, out var v) ? v : null);
        }).ToList();
        return new KnowledgeSearchResult(hits, mode, mode == KnowledgeSearchMode.Bm25 ? null : _embeddings.ModelId);
    }

    public async Task<KnowledgeStats> GetStatsAsync(CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken);
        await using var connection = await Database.OpenConnectionAsync(cancellationToken);
        await FollowOtherInstancesAsync(connection, cancellationToken);
        var documents = await connection.ValueAsync<int>("SELECT count(*) FROM knowledge_documents", cancellationToken);
        var chunks = await connection.ValueAsync<int>("SELECT count(*) FROM knowledge_chunks", cancellationToken);
        var embedded = _embeddings.ModelId is null ? 0 : await connection.ValueAsync<int>(
            "SELECT count(*) FROM knowledge_chunks c JOIN knowledge_vectors v ON v.content_hash = c.content_hash AND v.model = @model",
            cancellationToken, ("@model", _embeddings.ModelId));
        var kinds = await connection.RowsAsync(
            """
            SELECT CASE WHEN d.source LIKE 'builtin:%' THEN 'builtin' WHEN d.source LIKE 'rubric:%' THEN 'rubric' ELSE 'file' END AS kind, count(*)
            FROM knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id GROUP BY kind ORDER BY kind
            """,
            r => (r.GetString(0), r.Int(1)), cancellationToken);
        return new KnowledgeStats(documents, chunks, embedded, _embeddings.Generator is null ? null : _embeddings.ModelId,
            _embeddings.Generator is null ? _embeddings.UnavailableReason : null,
            kinds.ToDictionary(k => k.Item1, k => k.Item2), _index.MatrixBytes);
    }

    public async Task<KnowledgeArticle?> GetDocumentAsync(string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (string.IsNullOrWhiteSpace(source))
        {
            return null;
        }

        // Ready first: a fresh database gets the built-in articles a pointer may name.
        await EnsureReadyAsync(cancellationToken);
        await using var connection = await Database.OpenConnectionAsync(cancellationToken);
        var documents = await connection.RowsAsync(
            "SELECT id, title, roles, categories FROM knowledge_documents WHERE source = @source",
            r => (Id: r.Long(0), Title: r.GetString(1), Roles: Undelimit(r.GetString(2)), Categories: Undelimit(r.GetString(3))),
            cancellationToken, ("@source", source));
        if (documents.Count == 0)
        {
            return null;
        }

        var document = documents[0];
        var chunks = await connection.RowsAsync(
            "SELECT title_path, text FROM knowledge_chunks WHERE document_id = @id ORDER BY ordinal",
            r => (TitlePath: r.GetString(0), Text: r.GetString(1)),
            cancellationToken, ("@id", document.Id));
        return new KnowledgeArticle(source, document.Title, Join(document.Title, chunks), document.Roles, document.Categories);
    }

    /// <summary>
    /// Puts a document's chunks back together: a long section's pieces start with the last sentences of the previous
    /// piece (the overlap), which are dropped here. The chunker keeps each section's heading as a line of its own before
    /// the section's text; such a line (short, one line, no closing punctuation, followed by text) becomes a Markdown
    /// heading (<c>## </c>) again.
    /// </summary>
    internal static string Join(string title, IReadOnlyList<(string TitlePath, string Text)> chunks)
    {
        var paragraphs = new List<string>();
        string? previousPath = null;
        var previousText = string.Empty;
        foreach (var (path, chunk) in chunks)
        {
            var body = chunk.Trim();
            if (path == previousPath && body.IndexOf("\n\n", StringComparison.Ordinal) is var cut and > 0
                && previousText.EndsWith(body[..cut], StringComparison.Ordinal))
            {
                body = body[(cut + 2)..].TrimStart();
            }

            paragraphs.AddRange(body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            previousPath = path;
            previousText = chunk.Trim();
        }

        return string.Join("\n\n", paragraphs.Select((p, i) => i < paragraphs.Count - 1 && IsHeading(p) && !p.Equals(title, StringComparison.OrdinalIgnoreCase) ? "## " + p : p));
    }

    private static bool IsHeading(string paragraph) =>
        paragraph.Length is > 0 and <= 80 && !paragraph.Contains('\n', StringComparison.Ordinal)
        && !paragraph.StartsWith("- ", StringComparison.Ordinal) && !paragraph.StartsWith("* ", StringComparison.Ordinal)
        && !char.IsAsciiDigit(paragraph[0]) && paragraph[^1] is not ('.' or '!' or '?' or ':' or ';' or ',' or '"' or '”' or ')' or '…');

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_embeddings.ModelId is { } model && _embeddings.Generator is not null)
        {
            await using var connection = await Database.OpenConnectionAsync(cancellationToken);
            await using var writeLock = await LockWritesAsync(connection, cancellationToken);
            var stale = await connection.RowsAsync("SELECT DISTINCT model FROM knowledge_vectors WHERE model <> @model", r => r.GetString(0), cancellationToken, ("@model", model));
            if (stale.Count > 0)
            {
                // A different model's vectors live in another space: drop them and embed again, never mix.
                var count = await connection.ValueAsync<int>("SELECT count(*) FROM knowledge_vectors WHERE model <> @model", cancellationToken, ("@model", model));
                Log.EmbeddingModelChanged(_logger, string.Join(",", stale), model, count);
                await connection.RunAsync("DELETE FROM knowledge_vectors WHERE model <> @model", cancellationToken, ("@model", model));
            }

            try
            {
                await EmbedMissingAsync(connection, model, cancellationToken);
            }
            catch (Exception ex) when (ex is KnowledgeException or HttpRequestException or TaskCanceledException)
            {
                _embeddings.Disable($"the embedding model {model} failed: {ex.Message}");
                Log.EmbeddingsUnavailable(_logger, _embeddings.UnavailableReason!);
            }
        }

        if (_options.IngestBuiltIn && _builtIn is not null)
        {
            var result = await IngestCoreAsync(_builtIn.Documents(), updateIndex: false, cancellationToken);
            Log.BuiltInKnowledgeIngested(_logger, result.Added + result.Updated + result.Unchanged, result.Added + result.Updated, result.Embedded);
        }

        await using (var connection = await Database.OpenConnectionAsync(cancellationToken))
        {
            await LoadIndexAsync(connection, cancellationToken);
        }

        Log.KnowledgeReady(_logger, _index.Count, _embeddings.Generator is null ? "none (BM25 only)" : _embeddings.ModelId!);
    }

    private async Task EmbedMissingAsync(DbConnection connection, string model, CancellationToken cancellationToken)
    {
        var missing = await connection.RowsAsync(
            """
            SELECT c.content_hash, min(c.title_path), min(c.text), min(d.tags) FROM knowledge_chunks c
            JOIN knowledge_documents d ON d.id = c.document_id
            LEFT JOIN knowledge_vectors v ON v.content_hash = c.content_hash AND v.model = @model
            WHERE v.content_hash IS NULL GROUP BY c.content_hash
            """,
            r => (Hash: r.GetString(0), Title: Heading(r.GetString(1), r.GetString(3)), Text: r.GetString(2)), cancellationToken, ("@model", model));
        if (missing.Count == 0)
        {
            return;
        }

        var vectors = await EmbedChunksAsync(missing.Select(m => (m.Title, m.Text)).ToList(), cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        for (var i = 0; i < missing.Count; i++)
        {
            await InsertVectorAsync(connection, missing[i].Hash, model, vectors[i], cancellationToken);
        }

        await BumpGenerationAsync(connection, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Log.ChunksReembedded(_logger, missing.Count, model);
    }

    private async Task<KnowledgeIngestResult> IngestCoreAsync(IReadOnlyList<KnowledgeDocument> documents, bool updateIndex, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await Database.OpenConnectionAsync(cancellationToken);
            // Other instances wait here (instances starting together seed the built-in knowledge once: the second finds it
            // unchanged), so the plan below reads what they wrote.
            await using var writeLock = await LockWritesAsync(connection, cancellationToken);
            var plans = new List<Plan>();
            var unchanged = 0;
            var existing = await connection.RowsAsync("SELECT source, id, content_hash FROM knowledge_documents",
                r => (Source: r.GetString(0), Id: r.Long(1), Hash: r.GetString(2)), cancellationToken);
            var bySource = existing.ToDictionary(e => e.Source, StringComparer.Ordinal);
            foreach (var document in documents.DistinctBy(d => d.Source, StringComparer.Ordinal))
            {
                Validate(document);
                var hash = DocumentHash(document);
                bySource.TryGetValue(document.Source, out var old);
                if (old.Hash == hash)
                {
                    unchanged++;
                    continue;
                }

                var chunks = Chunker.Split(document, _options.ChunkMinTokens, _options.ChunkMaxTokens, _options.ChunkOverlapTokens)
                    .Select(c => (Chunk: c, Heading: Heading(c.TitlePath, string.Join(' ', document.Tags)))).Select(c => (c.Chunk, c.Heading, Hash: Hash(c.Heading + "\n" + c.Chunk.Text))).ToList();
                plans.Add(new Plan(document, hash, old.Source is null ? null : old.Id, chunks));
            }

            if (plans.Count == 0)
            {
                return new KnowledgeIngestResult(0, 0, unchanged, 0, 0);
            }

            // Embed only chunk texts that have no vector for the current model yet.
            var model = _embeddings.Generator is null ? null : _embeddings.ModelId;
            var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
            var embedded = 0;
            if (model is not null)
            {
                var known = await KnownHashesAsync(connection, model, cancellationToken);
                var needed = plans.SelectMany(p => p.Chunks).Where(c => !known.Contains(c.Hash)).DistinctBy(c => c.Hash).ToList();
                var fresh = await EmbedChunksAsync(needed.Select(c => (c.Heading, c.Chunk.Text)).ToList(), cancellationToken);
                for (var i = 0; i < needed.Count; i++)
                {
                    vectors[needed[i].Hash] = fresh[i];
                }

                embedded = needed.Count;
            }

            var removed = new List<long>();
            foreach (var plan in plans.Where(p => p.ExistingId is not null))
            {
                removed.AddRange(await connection.RowsAsync("SELECT id FROM knowledge_chunks WHERE document_id = @doc", r => r.Long(0), cancellationToken, ("@doc", plan.ExistingId)));
            }

            var added = new List<(long Id, string Hash, ChunkFilterData Filter)>();
            var now = Database.Dialect.Time(_time.GetUtcNow());
            var lateUpdates = 0;
            long? generation;
            await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
            {
                foreach (var (hash, vector) in vectors)
                {
                    await InsertVectorAsync(connection, hash, model!, vector, cancellationToken);
                }

                foreach (var plan in plans)
                {
                    var document = plan.Document;
                    long documentId;
                    // Another process may have added the same source since the plan was made: then this is an update.
                    var existingId = plan.ExistingId ?? await LongOrNullAsync(connection, "SELECT id FROM knowledge_documents WHERE source = @source", cancellationToken, ("@source", document.Source));
                    if (existingId is { } id)
                    {
                        lateUpdates += plan.ExistingId is null ? 1 : 0;
                        if (plan.ExistingId is null)
                        {
                            removed.AddRange(await connection.RowsAsync("SELECT id FROM knowledge_chunks WHERE document_id = @doc", r => r.Long(0), cancellationToken, ("@doc", id)));
                        }

                        await DeleteChunksAsync(connection, id, cancellationToken);
                        await connection.RunAsync(
                            "UPDATE knowledge_documents SET title = @title, roles = @roles, categories = @categories, tags = @tags, content_hash = @hash, ingested_at = @now WHERE id = @doc",
                            cancellationToken, ("@doc", id), ("@title", document.Title), ("@roles", Delimited(document.Roles)), ("@categories", Delimited(document.Categories)),
                            ("@tags", string.Join(' ', document.Tags)), ("@hash", plan.Hash), ("@now", now));
                        documentId = id;
                    }
                    else
                    {
                        documentId = (await LongOrNullAsync(connection, 
                            "INSERT INTO knowledge_documents (source, title, roles, categories, tags, content_hash, ingested_at) VALUES (@source, @title, @roles, @categories, @tags, @hash, @now) RETURNING id",
                            cancellationToken, ("@source", document.Source), ("@title", document.Title), ("@roles", Delimited(document.Roles)), ("@categories", Delimited(document.Categories)),
                            ("@tags", string.Join(' ', document.Tags)), ("@hash", plan.Hash), ("@now", now)))!.Value;
                    }

                    var filter = new ChunkFilterData(document.Source, [.. document.Roles], [.. document.Categories]);
                    var tags = string.Join(' ', document.Tags.Select(t => t.Replace('-', ' ')));
                    foreach (var (chunk, _, hash) in plan.Chunks)
                    {
                        var chunkId = await InsertChunkAsync(connection, documentId, chunk, $"{document.Source}#{chunk.Ordinal}", hash, tags, cancellationToken);
                        added.Add((chunkId, hash, filter));
                    }
                }

                // Vectors no chunk uses any more (only replaced chunks can leave some behind).
                if (removed.Count > 0 || lateUpdates > 0)
                {
                    await DeleteUnusedVectorsAsync(connection, cancellationToken);
                }

                generation = await BumpGenerationAsync(connection, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }

            _documentFrequency.Clear();
            Interlocked.Exchange(ref _chunkCount, -1);
            if (updateIndex)
            {
                ChangedByThisInstance(generation);
                var index = _index;
                foreach (var id in removed)
                {
                    index.Remove(id);
                }

                if (model is not null)
                {
                    foreach (var (id, hash, filter) in added)
                    {
                        var vector = vectors.TryGetValue(hash, out var v) ? v : await LoadVectorAsync(connection, hash, model, cancellationToken);
                        if (vector is not null)
                        {
                            index.Upsert(id, filter, vector);
                        }
                    }
                }
            }

            var updated = plans.Count(p => p.ExistingId is not null) + lateUpdates;
            return new KnowledgeIngestResult(plans.Count - updated, updated, unchanged, added.Count, embedded);
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>
    /// After this instance wrote (its matrix updated in place): the matrix stays current only if no other instance wrote
    /// since it was loaded (the generation moved by exactly this write); otherwise the next search reloads it.
    /// </summary>
    private void ChangedByThisInstance(long? generation)
    {
        if (generation is not { } now)
        {
            return;
        }

        var loaded = Interlocked.Read(ref _loadedGeneration);
        Interlocked.CompareExchange(ref _loadedGeneration, loaded == now - 1 ? now : -1, loaded);
    }

    /// <summary>Reloads the matrix (and forgets cached word counts) when another instance changed the knowledge since it was loaded.</summary>
    private async Task FollowOtherInstancesAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (await ReadGenerationAsync(connection, cancellationToken) is not { } current || current == Interlocked.Read(ref _loadedGeneration))
        {
            return;
        }

        await _writes.WaitAsync(cancellationToken);
        try
        {
            var loaded = Interlocked.Read(ref _loadedGeneration);
            if (await ReadGenerationAsync(connection, cancellationToken) is { } again && again != loaded)
            {
                _documentFrequency.Clear();
                Interlocked.Exchange(ref _chunkCount, -1);
                await LoadIndexAsync(connection, cancellationToken);
                Log.KnowledgeIndexReloaded(_logger, loaded, Interlocked.Read(ref _loadedGeneration), _index.Count);
            }
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>Loads the current model's vectors into a new matrix and swaps it in (searches meanwhile use the old one).</summary>
    private async Task LoadIndexAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // Read before the rows: a write committed in between makes the next search load again, never miss one.
        var generation = await ReadGenerationAsync(connection, cancellationToken);
        var index = new VectorIndex();
        if (_embeddings.Generator is not null && _embeddings.ModelId is { } model)
        {
            await using var command = connection.Statement(
                """
                SELECT c.id, d.source, d.roles, d.categories, v.vector FROM knowledge_chunks c
                JOIN knowledge_documents d ON d.id = c.document_id
                JOIN knowledge_vectors v ON v.content_hash = c.content_hash AND v.model = @model
                """, ("@model", model));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var filters = new Dictionary<string, ChunkFilterData>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken))
            {
                var source = reader.GetString(1);
                if (!filters.TryGetValue(source, out var filter))
                {
                    filter = new ChunkFilterData(source, Undelimit(reader.GetString(2)), Undelimit(reader.GetString(3)));
                    filters[source] = filter;
                }

                index.Upsert(reader.Long(0), filter, MemoryMarshal.Cast<byte, float>((byte[])reader.GetValue(4)));
            }
        }

        _index = index;
        Interlocked.Exchange(ref _loadedGeneration, generation ?? -1);
    }

    private async Task<List<(long Id, double Score)>> Bm25Async(DbConnection connection, KnowledgeQuery query, int depth, CancellationToken cancellationToken)
    {
        var terms = FtsTerms(query.Text);
        if (terms.Count > 1 && await ChunkCountAsync(connection, cancellationToken) is var chunks and >= PruneAboveChunks)
        {
            terms = await PruneCommonTermsAsync(connection, terms, chunks, cancellationToken);
        }

        return terms.Count == 0 ? [] : await FullTextAsync(connection, terms, query, depth, cancellationToken);
    }

    /// <summary>The content words of a query (a–z and 0–9 only, so no full-text operator reaches the engine).</summary>
    internal static List<string> FtsTerms(string text) =>
    [
        .. Words(text)
            .Where(t => !Lexicon.EnglishStopwords.Contains(t) && !ExtraStopwords.Contains(t))
            .Distinct(StringComparer.Ordinal)
            .Take(32),
    ];

    /// <summary>Lower-cases and keeps runs of a–z and 0–9.</summary>
    private static IEnumerable<string> Words(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? char.ToLowerInvariant(text[i]) : ' ';
            var word = c is >= 'a' and <= 'z' or >= '0' and <= '9';
            if (word && start < 0)
            {
                start = i;
            }
            else if (!word && start >= 0)
            {
                yield return text[start..i].ToLowerInvariant();
                start = -1;
            }
        }
    }

    /// <summary>Above this many chunks, BM25 queries leave out their most common words (see <see cref="PruneCommonTermsAsync"/>).</summary>
    internal const int PruneAboveChunks = 2_000;

    /// <summary>A word in more than this share of chunks is left out of a large store's BM25 query when rarer words remain.</summary>
    internal const double CommonTermShare = 0.05;

    /// <summary>
    /// A full-text engine scores every chunk that matches any word of an OR query, so a common word ("time", "team") in a
    /// large store costs milliseconds while adding almost nothing to the ranking (its IDF is near zero). Words found in no
    /// chunk are dropped, and common ones too while a rarer word remains; document frequencies are cached until the next write.
    /// </summary>
    private async Task<List<string>> PruneCommonTermsAsync(DbConnection connection, List<string> terms, long chunks, CancellationToken cancellationToken)
    {
        var frequencies = new List<(string Term, long Count)>();
        foreach (var term in terms)
        {
            if (!_documentFrequency.TryGetValue(term, out var count))
            {
                count = await CountMatchesAsync(connection, term, cancellationToken);
                _documentFrequency[term] = count;
            }

            if (count > 0)
            {
                frequencies.Add((term, count));
            }
        }

        var rare = frequencies.Where(f => f.Count <= chunks * CommonTermShare).Select(f => f.Term).ToList();
        return rare.Count > 0 ? rare : [.. frequencies.OrderBy(f => f.Count).Take(2).Select(f => f.Term)];
    }

    private async Task<long> ChunkCountAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var cached = Interlocked.Read(ref _chunkCount);
        if (cached >= 0)
        {
            return cached;
        }

        var count = await connection.ValueAsync<long>("SELECT count(*) FROM knowledge_chunks", cancellationToken);
        Interlocked.Exchange(ref _chunkCount, count);
        return count;
    }

    private static readonly HashSet<string> ExtraStopwords = new(StringComparer.Ordinal)
    {
        "am", "any", "being", "does", "doing", "get", "got", "its", "i'm", "m", "s", "t", "than", "too", "where", "why", "while", "should", "shall", "may", "might", "must", "here", "yes",
    };

    private static List<(long Id, double Score)> Fuse(Dictionary<long, int> bm25, Dictionary<long, int> vector, int k, double vectorWeight, int top)
    {
        var scores = new Dictionary<long, double>();
        foreach (var (id, rank) in bm25)
        {
            scores[id] = 1.0 / (k + rank);
        }

        foreach (var (id, rank) in vector)
        {
            scores[id] = scores.GetValueOrDefault(id) + (vectorWeight / (k + rank));
        }

        // Ties (one list each) go to the better single rank, then to the lower id for a stable order.
        return [.. scores
            .OrderByDescending(s => s.Value)
            .ThenBy(s => Math.Min(bm25.GetValueOrDefault(s.Key, int.MaxValue), vector.GetValueOrDefault(s.Key, int.MaxValue)))
            .ThenBy(s => s.Key)
            .Take(top)
            .Select(s => (s.Key, s.Value))];
    }

    private static async Task<Dictionary<long, ChunkRow>> LoadChunksAsync(DbConnection connection, List<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var names = ids.Select((_, i) => $"@p{i}").ToList();
        var rows = await connection.RowsAsync(
            $"""
            SELECT c.id, c.chunk_key, c.title_path, c.text, d.source, d.roles, d.categories
            FROM knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id
            WHERE c.id IN ({string.Join(", ", names)})
            """,
            r => new ChunkRow(r.Long(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Undelimit(r.GetString(5)), Undelimit(r.GetString(6))),
            cancellationToken, [.. ids.Select((id, i) => (names[i], (object?)id))]);
        return rows.ToDictionary(r => r.Id);
    }

    /// <summary>
    /// A chunk's vector is the sum of the unit vectors of its heading path and of its body: the heading says in a few
    /// words what the chunk is about, which an average over a few hundred words of body blurs.
    /// </summary>
    private async Task<List<float[]>> EmbedChunksAsync(List<(string Title, string Text)> chunks, CancellationToken cancellationToken)
    {
        if (chunks.Count == 0)
        {
            return [];
        }

        var texts = chunks.SelectMany(c => new[] { c.Title, c.Text }).ToList();
        var generated = await _embeddings.Generator!.GenerateAsync(texts, cancellationToken: cancellationToken);
        if (generated.Count != texts.Count)
        {
            throw new KnowledgeException($"The embedding model returned {generated.Count} vectors for {texts.Count} texts.");
        }

        var vectors = new List<float[]>(chunks.Count);
        for (var i = 0; i < chunks.Count; i++)
        {
            var title = generated[2 * i].Vector.Span;
            var body = generated[(2 * i) + 1].Vector.Span;
            if (title.Length != body.Length)
            {
                throw new KnowledgeException($"The embedding model returned vectors of {title.Length} and {body.Length} dimensions.");
            }

            var sum = new float[body.Length];
            AddUnit(title, sum);
            AddUnit(body, sum);
            vectors.Add(sum);
        }

        return vectors;
    }

    private static void AddUnit(ReadOnlySpan<float> vector, Span<float> sum)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.MultiplyAdd(vector, 1 / norm, sum, sum);
        }
    }

    private static async Task<HashSet<string>> KnownHashesAsync(DbConnection connection, string model, CancellationToken cancellationToken) =>
        [.. await connection.RowsAsync("SELECT content_hash FROM knowledge_vectors WHERE model = @model", r => r.GetString(0), cancellationToken, ("@model", model))];

    private static async Task<float[]?> LoadVectorAsync(DbConnection connection, string hash, string model, CancellationToken cancellationToken)
    {
        await using var command = connection.Statement("SELECT vector FROM knowledge_vectors WHERE content_hash = @hash AND model = @model", ("@hash", hash), ("@model", model));
        return await command.ExecuteScalarAsync(cancellationToken) is byte[] bytes ? MemoryMarshal.Cast<byte, float>(bytes).ToArray() : null;
    }

    private static Task<int> InsertVectorAsync(DbConnection connection, string hash, string model, float[] vector, CancellationToken cancellationToken) =>
        connection.RunAsync(
            """
            INSERT INTO knowledge_vectors (content_hash, model, dimensions, vector) VALUES (@hash, @model, @dims, @vector)
            ON CONFLICT (content_hash, model) DO UPDATE SET dimensions = excluded.dimensions, vector = excluded.vector
            """,
            cancellationToken, ("@hash", hash), ("@model", model), ("@dims", vector.Length), ("@vector", MemoryMarshal.AsBytes(vector.AsSpan()).ToArray()));

    private static Task<int> DeleteUnusedVectorsAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection.RunAsync(
            "DELETE FROM knowledge_vectors WHERE NOT EXISTS (SELECT 1 FROM knowledge_chunks c WHERE c.content_hash = knowledge_vectors.content_hash)", cancellationToken);

    /// <summary>The first column of the first row as a long, or null when there is no row.</summary>
    private static async Task<long?> LongOrNullAsync(DbConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Statement(sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken) is { } value and not DBNull ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : null;
    }

    private static void Validate(KnowledgeDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (string.IsNullOrWhiteSpace(document.Source) || string.IsNullOrWhiteSpace(document.Title))
        {
            throw new KnowledgeException("A knowledge document needs a source and a title.");
        }

        if (string.IsNullOrWhiteSpace(document.Text))
        {
            throw new KnowledgeException($"The knowledge document '{document.Source}' has no text; nothing was ingested.");
        }

    }

    /// <summary>Bump when chunking changes, so stored documents are chunked again at the next start.</summary>
    private const string ChunkerVersion = "chunker-1";

    private string DocumentHash(KnowledgeDocument document) => Hash(string.Join('\u001f',
        ChunkerVersion, document.Title, Delimited(document.Roles), Delimited(document.Categories), string.Join(' ', document.Tags), document.Text,
        _options.ChunkMinTokens.ToString(CultureInfo.InvariantCulture), _options.ChunkMaxTokens.ToString(CultureInfo.InvariantCulture),
        _options.ChunkOverlapTokens.ToString(CultureInfo.InvariantCulture)));

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>The heading half of a chunk's embedding: its title path and the document's tags (curated keywords).</summary>
    private static string Heading(string titlePath, string tags) =>
        tags.Length == 0 ? titlePath : titlePath + "\n" + tags.Replace('-', ' ');

    private static string Delimited(IReadOnlyList<string> values) =>
        values.Count == 0 ? string.Empty : " " + string.Join(' ', values.Select(v => v.ToLowerInvariant())) + " ";

    private static string[] Undelimit(string value) => value.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private sealed record Plan(KnowledgeDocument Document, string Hash, long? ExistingId, List<(Chunk Chunk, string Heading, string Hash)> Chunks);

    private sealed record ChunkRow(long Id, string Key, string TitlePath, string Text, string Source, string[] Roles, string[] Categories);

    /// <summary>A source prefix for <c>LIKE … ESCAPE '\'</c>: its own <c>%</c>, <c>_</c> and <c>\</c> match themselves.</summary>
    protected static string? LikePrefix(string? prefix) =>
        prefix?.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
