using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using CoachBot.Coaching.Knowledge.Embeddings;
using CoachBot.Coaching.Storage;
using CoachBot.Coaching.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Knowledge;

/// <summary>
/// The knowledge store over CoachBot's SQLite database: chunks and their FTS5 index in tables, embeddings as float32
/// BLOBs keyed by (chunk text hash, model id), and an in-memory matrix of the current model's vectors for cosine search.
/// On first use it drops vectors of any other model and embeds what is missing (a changed model re-embeds everything,
/// never mixes), ingests the built-in knowledge (unchanged documents are skipped by hash), and loads the matrix.
/// </summary>
internal sealed class SqliteKnowledgeStore : IKnowledgeStore, IDisposable
{
    private const int MaxTop = 50;

    private readonly SqliteDatabase _database;
    private readonly KnowledgeEmbeddings _embeddings;
    private readonly BuiltInKnowledge? _builtIn;
    private readonly KnowledgeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SqliteKnowledgeStore> _logger;
    private readonly VectorIndex _index = new();
    private readonly SemaphoreSlim _writes = new(1, 1);
    private readonly Lazy<Task> _ready;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _documentFrequency = new(StringComparer.Ordinal);
    private long _chunkCount = -1;

    public SqliteKnowledgeStore(SqliteDatabase database, KnowledgeEmbeddings embeddings, IOptions<KnowledgeOptions> options,
        TimeProvider time, ILogger<SqliteKnowledgeStore> logger, BuiltInKnowledge? builtIn = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _database = database;
        _embeddings = embeddings;
        _builtIn = builtIn;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _ready = new Lazy<Task>(() => InitializeAsync(CancellationToken.None));
    }

    public void Dispose() => _writes.Dispose();

    /// <summary>Rows in the in-memory vector matrix.</summary>
    internal int VectorCount => _index.Count;

    /// <summary>Migrates, re-embeds, ingests the built-in knowledge and loads the vector matrix, once.</summary>
    public Task EnsureReadyAsync(CancellationToken cancellationToken) => _ready.Value.WaitAsync(cancellationToken);

    public async Task<KnowledgeIngestResult> IngestAsync(IReadOnlyList<KnowledgeDocument> documents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        await EnsureReadyAsync(cancellationToken);
        var result = await IngestCoreAsync(documents, updateIndex: true, cancellationToken);
        Log.KnowledgeIngested(_logger, result.Added, result.Updated, result.Unchanged, result.Chunks, result.Embedded);
        return result;
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
        await using var connection = await _database.OpenAsync(cancellationToken);
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
        await using var connection = await _database.OpenAsync(cancellationToken);
        var documents = await connection.ScalarAsync<int>("SELECT count(*) FROM knowledge_documents", cancellationToken);
        var chunks = await connection.ScalarAsync<int>("SELECT count(*) FROM knowledge_chunks", cancellationToken);
        var embedded = _embeddings.ModelId is null ? 0 : await connection.ScalarAsync<int>(
            "SELECT count(*) FROM knowledge_chunks c JOIN knowledge_vectors v ON v.content_hash = c.content_hash AND v.model = $model",
            cancellationToken, ("$model", _embeddings.ModelId));
        var kinds = await connection.QueryAsync(
            """
            SELECT CASE WHEN d.source LIKE 'builtin:%' THEN 'builtin' WHEN d.source LIKE 'rubric:%' THEN 'rubric' ELSE 'file' END AS kind, count(*)
            FROM knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id GROUP BY kind ORDER BY kind
            """,
            r => (r.GetString(0), r.GetInt32(1)), cancellationToken);
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
        await using var connection = await _database.OpenAsync(cancellationToken);
        var documents = await connection.QueryAsync(
            "SELECT id, title, roles, categories FROM knowledge_documents WHERE source = $source",
            r => (Id: r.GetInt64(0), Title: r.GetString(1), Roles: Undelimit(r.GetString(2)), Categories: Undelimit(r.GetString(3))),
            cancellationToken, ("$source", source));
        if (documents.Count == 0)
        {
            return null;
        }

        var document = documents[0];
        var chunks = await connection.QueryAsync(
            "SELECT title_path, text FROM knowledge_chunks WHERE document_id = $id ORDER BY ordinal",
            r => (TitlePath: r.GetString(0), Text: r.GetString(1)),
            cancellationToken, ("$id", document.Id));
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
        await using (var connection = await _database.OpenAsync(cancellationToken))
        {
            if (_embeddings.ModelId is { } model && _embeddings.Generator is not null)
            {
                var stale = await connection.ScalarAsync<int>("SELECT count(*) FROM knowledge_vectors WHERE model <> $model", cancellationToken, ("$model", model));
                if (stale > 0)
                {
                    // A different model's vectors live in another space: drop them and embed again, never mix.
                    var previous = await connection.ScalarAsync<string>("SELECT group_concat(DISTINCT model) FROM knowledge_vectors WHERE model <> $model", cancellationToken, ("$model", model));
                    Log.EmbeddingModelChanged(_logger, previous ?? "?", model, stale);
                    await connection.ExecuteAsync("DELETE FROM knowledge_vectors WHERE model <> $model", cancellationToken, ("$model", model));
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
        }

        if (_options.IngestBuiltIn && _builtIn is not null)
        {
            var result = await IngestCoreAsync(_builtIn.Documents(), updateIndex: false, cancellationToken);
            Log.BuiltInKnowledgeIngested(_logger, result.Added + result.Updated + result.Unchanged, result.Added + result.Updated, result.Embedded);
        }

        await LoadIndexAsync(cancellationToken);
        Log.KnowledgeReady(_logger, _index.Count, _embeddings.Generator is null ? "none (BM25 only)" : _embeddings.ModelId!);
    }

    private async Task EmbedMissingAsync(SqliteConnection connection, string model, CancellationToken cancellationToken)
    {
        var missing = await connection.QueryAsync(
            """
            SELECT c.content_hash, min(c.title_path), min(c.text), min(d.tags) FROM knowledge_chunks c
            JOIN knowledge_documents d ON d.id = c.document_id
            LEFT JOIN knowledge_vectors v ON v.content_hash = c.content_hash AND v.model = $model
            WHERE v.content_hash IS NULL GROUP BY c.content_hash
            """,
            r => (Hash: r.GetString(0), Title: Heading(r.GetString(1), r.GetString(3)), Text: r.GetString(2)), cancellationToken, ("$model", model));
        if (missing.Count == 0)
        {
            return;
        }

        var vectors = await EmbedChunksAsync(missing.Select(m => (m.Title, m.Text)).ToList(), cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var insert = VectorInsert(connection, transaction, model);
        for (var i = 0; i < missing.Count; i++)
        {
            await InsertVectorAsync(insert, missing[i].Hash, vectors[i], cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        Log.ChunksReembedded(_logger, missing.Count, model);
    }

    private async Task<KnowledgeIngestResult> IngestCoreAsync(IReadOnlyList<KnowledgeDocument> documents, bool updateIndex, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            var plans = new List<Plan>();
            var unchanged = 0;
            var existing = await connection.QueryAsync("SELECT source, id, content_hash FROM knowledge_documents",
                r => (Source: r.GetString(0), Id: r.GetInt64(1), Hash: r.GetString(2)), cancellationToken);
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
                removed.AddRange(await connection.QueryAsync("SELECT id FROM knowledge_chunks WHERE document_id = $doc", r => r.GetInt64(0), cancellationToken, ("$doc", plan.ExistingId)));
            }

            var added = new List<(long Id, string Hash, ChunkFilterData Filter)>();
            var now = Sql.Time(_time.GetUtcNow());
            var lateUpdates = 0;
            await using (var transaction = connection.BeginTransaction(deferred: false))
            {
                await using var insertVector = VectorInsert(connection, transaction, model ?? string.Empty);
                foreach (var (hash, vector) in vectors)
                {
                    await InsertVectorAsync(insertVector, hash, vector, cancellationToken);
                }

                await using var insertChunk = connection.Command(
                    "INSERT INTO knowledge_chunks (document_id, ordinal, chunk_key, title_path, text, tokens, content_hash) VALUES ($doc, $ordinal, $key, $path, $text, $tokens, $hash) RETURNING id",
                    ("$doc", 0L), ("$ordinal", 0), ("$key", string.Empty), ("$path", string.Empty), ("$text", string.Empty), ("$tokens", 0), ("$hash", string.Empty));
                insertChunk.Transaction = transaction;
                await using var insertFts = connection.Command(
                    "INSERT INTO knowledge_fts (rowid, title_path, tags, text) VALUES ($id, $path, $tags, $text)",
                    ("$id", 0L), ("$path", string.Empty), ("$tags", string.Empty), ("$text", string.Empty));
                insertFts.Transaction = transaction;

                foreach (var plan in plans)
                {
                    var document = plan.Document;
                    long documentId;
                    // Another process may have added the same source since the plan was made: then this is an update.
                    var existingId = plan.ExistingId ?? await ScalarAsync(connection, transaction, "SELECT id FROM knowledge_documents WHERE source = $source", cancellationToken, ("$source", document.Source));
                    if (existingId is { } id)
                    {
                        lateUpdates += plan.ExistingId is null ? 1 : 0;
                        await ExecuteAsync(connection, transaction, "DELETE FROM knowledge_fts WHERE rowid IN (SELECT id FROM knowledge_chunks WHERE document_id = $doc)", cancellationToken, ("$doc", id));
                        await ExecuteAsync(connection, transaction, "DELETE FROM knowledge_chunks WHERE document_id = $doc", cancellationToken, ("$doc", id));
                        await ExecuteAsync(connection, transaction,
                            "UPDATE knowledge_documents SET title = $title, roles = $roles, categories = $categories, tags = $tags, content_hash = $hash, ingested_at = $now WHERE id = $doc",
                            cancellationToken, ("$doc", id), ("$title", document.Title), ("$roles", Delimited(document.Roles)), ("$categories", Delimited(document.Categories)),
                            ("$tags", string.Join(' ', document.Tags)), ("$hash", plan.Hash), ("$now", now));
                        documentId = id;
                    }
                    else
                    {
                        await using var insertDocument = connection.Command(
                            "INSERT INTO knowledge_documents (source, title, roles, categories, tags, content_hash, ingested_at) VALUES ($source, $title, $roles, $categories, $tags, $hash, $now) RETURNING id",
                            ("$source", document.Source), ("$title", document.Title), ("$roles", Delimited(document.Roles)), ("$categories", Delimited(document.Categories)),
                            ("$tags", string.Join(' ', document.Tags)), ("$hash", plan.Hash), ("$now", now));
                        insertDocument.Transaction = transaction;
                        documentId = (long)(await insertDocument.ExecuteScalarAsync(cancellationToken))!;
                    }

                    var filter = new ChunkFilterData(document.Source, [.. document.Roles], [.. document.Categories]);
                    var tags = string.Join(' ', document.Tags.Select(t => t.Replace('-', ' ')));
                    foreach (var (chunk, _, hash) in plan.Chunks)
                    {
                        insertChunk.Parameters["$doc"].Value = documentId;
                        insertChunk.Parameters["$ordinal"].Value = chunk.Ordinal;
                        insertChunk.Parameters["$key"].Value = $"{document.Source}#{chunk.Ordinal}";
                        insertChunk.Parameters["$path"].Value = chunk.TitlePath;
                        insertChunk.Parameters["$text"].Value = chunk.Text;
                        insertChunk.Parameters["$tokens"].Value = chunk.Tokens;
                        insertChunk.Parameters["$hash"].Value = hash;
                        var chunkId = (long)(await insertChunk.ExecuteScalarAsync(cancellationToken))!;
                        insertFts.Parameters["$id"].Value = chunkId;
                        insertFts.Parameters["$path"].Value = chunk.TitlePath;
                        insertFts.Parameters["$tags"].Value = tags;
                        insertFts.Parameters["$text"].Value = chunk.Text;
                        await insertFts.ExecuteNonQueryAsync(cancellationToken);
                        added.Add((chunkId, hash, filter));
                    }
                }

                // Vectors no chunk uses any more (only replaced chunks can leave some behind).
                if (removed.Count > 0 || lateUpdates > 0)
                {
                    await ExecuteAsync(connection, transaction,
                        "DELETE FROM knowledge_vectors WHERE NOT EXISTS (SELECT 1 FROM knowledge_chunks c WHERE c.content_hash = knowledge_vectors.content_hash)", cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
            }

            _documentFrequency.Clear();
            Interlocked.Exchange(ref _chunkCount, -1);
            if (updateIndex)
            {
                foreach (var id in removed)
                {
                    _index.Remove(id);
                }

                if (model is not null)
                {
                    foreach (var (id, hash, filter) in added)
                    {
                        var vector = vectors.TryGetValue(hash, out var v) ? v : await LoadVectorAsync(connection, hash, model, cancellationToken);
                        if (vector is not null)
                        {
                            _index.Upsert(id, filter, vector);
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

    private async Task LoadIndexAsync(CancellationToken cancellationToken)
    {
        _index.Clear();
        if (_embeddings.Generator is null || _embeddings.ModelId is not { } model)
        {
            return;
        }

        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            """
            SELECT c.id, d.source, d.roles, d.categories, v.vector FROM knowledge_chunks c
            JOIN knowledge_documents d ON d.id = c.document_id
            JOIN knowledge_vectors v ON v.content_hash = c.content_hash AND v.model = $model
            """, ("$model", model));
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

            _index.Upsert(reader.GetInt64(0), filter, MemoryMarshal.Cast<byte, float>((byte[])reader.GetValue(4)));
        }
    }

    private async Task<List<(long Id, double Score)>> Bm25Async(SqliteConnection connection, KnowledgeQuery query, int depth, CancellationToken cancellationToken)
    {
        var terms = FtsTerms(query.Text);
        if (terms.Count > 1 && await ChunkCountAsync(connection, cancellationToken) is var chunks and >= PruneAboveChunks)
        {
            terms = await PruneCommonTermsAsync(connection, terms, chunks, cancellationToken);
        }

        if (terms.Count == 0)
        {
            return [];
        }

        var match = string.Join(" OR ", terms.Select(t => $"\"{t}\""));

        // Title and tags weigh more than body text: a chunk titled "Filler words" is about filler words. FTS5 sorts by
        // its rank column with LIMIT without materialising every match, so the unfiltered query avoids joins.
        if (query.Role is null && query.Category is null && query.SourcePrefix is null)
        {
            return await connection.QueryAsync(
                """
                SELECT rowid, -rank FROM knowledge_fts
                WHERE knowledge_fts MATCH $match AND rank MATCH 'bm25(3.0, 2.0, 1.0)'
                ORDER BY rank LIMIT $limit
                """,
                r => (r.GetInt64(0), r.GetDouble(1)), cancellationToken, ("$match", match), ("$limit", depth));
        }

        return await connection.QueryAsync(
            """
            SELECT f.rowid, -f.rank
            FROM knowledge_fts f
            JOIN knowledge_chunks c ON c.id = f.rowid
            JOIN knowledge_documents d ON d.id = c.document_id
            WHERE knowledge_fts MATCH $match AND f.rank MATCH 'bm25(3.0, 2.0, 1.0)'
              AND ($role IS NULL OR d.roles = '' OR instr(d.roles, ' ' || $role || ' ') > 0)
              AND ($category IS NULL OR d.categories = '' OR instr(d.categories, ' ' || $category || ' ') > 0)
              AND ($source IS NULL OR d.source LIKE $source || '%' ESCAPE '\')
            ORDER BY f.rank
            LIMIT $limit
            """,
            r => (r.GetInt64(0), r.GetDouble(1)), cancellationToken,
            ("$match", match), ("$role", query.Role), ("$category", query.Category),
            ("$source", query.SourcePrefix?.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal)),
            ("$limit", depth));
    }

    /// <summary>The content words of a query (FTS5 gets each quoted, joined by OR: no operator injection).</summary>
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
    /// FTS5 computes BM25 for every chunk that matches any word of an OR query, so a common word ("time", "team") in a
    /// large store costs milliseconds while adding almost nothing to the ranking (its IDF is near zero). Words found in no
    /// chunk are dropped, and common ones too while a rarer word remains; document frequencies are cached until the next ingest.
    /// </summary>
    private async Task<List<string>> PruneCommonTermsAsync(SqliteConnection connection, List<string> terms, long chunks, CancellationToken cancellationToken)
    {
        var frequencies = new List<(string Term, long Count)>();
        foreach (var term in terms)
        {
            if (!_documentFrequency.TryGetValue(term, out var count))
            {
                count = await connection.ScalarAsync<long>("SELECT count(*) FROM knowledge_fts WHERE knowledge_fts MATCH $term", cancellationToken, ("$term", $"\"{term}\""));
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

    private async Task<long> ChunkCountAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var cached = Interlocked.Read(ref _chunkCount);
        if (cached >= 0)
        {
            return cached;
        }

        var count = await connection.ScalarAsync<long>("SELECT count(*) FROM knowledge_chunks", cancellationToken);
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

    private static async Task<Dictionary<long, ChunkRow>> LoadChunksAsync(SqliteConnection connection, List<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var names = ids.Select((_, i) => $"$p{i}").ToList();
        var rows = await connection.QueryAsync(
            $"""
            SELECT c.id, c.chunk_key, c.title_path, c.text, d.source, d.roles, d.categories
            FROM knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id
            WHERE c.id IN ({string.Join(", ", names)})
            """,
            r => new ChunkRow(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Undelimit(r.GetString(5)), Undelimit(r.GetString(6))),
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

    private static async Task<HashSet<string>> KnownHashesAsync(SqliteConnection connection, string model, CancellationToken cancellationToken) =>
        [.. await connection.QueryAsync("SELECT content_hash FROM knowledge_vectors WHERE model = $model", r => r.GetString(0), cancellationToken, ("$model", model))];

    private static async Task<float[]?> LoadVectorAsync(SqliteConnection connection, string hash, string model, CancellationToken cancellationToken)
    {
        await using var command = connection.Command("SELECT vector FROM knowledge_vectors WHERE content_hash = $hash AND model = $model", ("$hash", hash), ("$model", model));
        return await command.ExecuteScalarAsync(cancellationToken) is byte[] bytes ? MemoryMarshal.Cast<byte, float>(bytes).ToArray() : null;
    }

    private static SqliteCommand VectorInsert(SqliteConnection connection, SqliteTransaction transaction, string model)
    {
        var command = connection.Command(
            "INSERT OR REPLACE INTO knowledge_vectors (content_hash, model, dimensions, vector) VALUES ($hash, $model, $dims, $vector)",
            ("$hash", string.Empty), ("$model", model), ("$dims", 0), ("$vector", Array.Empty<byte>()));
        command.Transaction = transaction;
        return command;
    }

    private static async Task InsertVectorAsync(SqliteCommand insert, string hash, float[] vector, CancellationToken cancellationToken)
    {
        insert.Parameters["$hash"].Value = hash;
        insert.Parameters["$dims"].Value = vector.Length;
        insert.Parameters["$vector"].Value = MemoryMarshal.AsBytes(vector.AsSpan()).ToArray();
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(sql, parameters);
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long?> ScalarAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(sql, parameters);
        command.Transaction = transaction;
        return await command.ExecuteScalarAsync(cancellationToken) is long value ? value : null;
    }

    private static void Validate(KnowledgeDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (string.IsNullOrWhiteSpace(document.Source) || string.IsNullOrWhiteSpace(document.Title))
        {
            throw new KnowledgeException("A knowledge document needs a source and a title.");
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
}
