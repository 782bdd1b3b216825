using System.Data.Common;
using CoachBot.Coaching.Knowledge;
using CoachBot.Coaching.Knowledge.Embeddings;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CoachBot.Storage.Postgres;

/// <summary>
/// The knowledge store on PostgreSQL (chunking, embedding, fusion and snippets are <see cref="SqlKnowledgeStore"/>'s).
/// Full text is PostgreSQL's own: each chunk's <c>tsvector</c> (title A, tags B, text C; the 'english' configuration) is a
/// generated column under a GIN index, matched with <c>websearch_to_tsquery</c> (the query's content words OR-ed) and
/// ranked by <c>ts_rank_cd</c>. Vectors are stored in the database and searched in memory on each instance; every write
/// bumps <c>knowledge_generation</c>, and an instance that finds it moved before a search reloads its matrix, so a chunk
/// ingested through one instance is found through every other. Writes across instances take one advisory lock, so
/// instances starting together seed the built-in knowledge once.
/// </summary>
internal sealed class PostgresKnowledgeStore(PostgresDatabase database, KnowledgeEmbeddings embeddings, IOptions<KnowledgeOptions> options,
    TimeProvider time, ILogger<PostgresKnowledgeStore> logger, BuiltInKnowledge? builtIn = null)
    : SqlKnowledgeStore(database, embeddings, options, time, logger, builtIn)
{
    // pg_advisory_lock key of knowledge writes (any constant; "coachkno" in ASCII), apart from the migrations' key.
    private const long WriteLock = 0x636F6163686B6E6F;

    // ts_rank_cd's weights are given for {D, C, B, A}: title 3, tags 2, text 1, as SQLite's bm25(3.0, 2.0, 1.0).
    private const string Weights = "'{0.1, 0.333, 0.667, 1.0}'";

    protected override async Task<List<(long Id, double Score)>> FullTextAsync(DbConnection connection, IReadOnlyList<string> terms, KnowledgeQuery query, int depth, CancellationToken cancellationToken)
    {
        // The terms are a–z and 0–9 only: websearch_to_tsquery sees plain words joined by "or", never an operator of the user's.
        var parameters = new List<(string Name, object? Value)> { ("@query", string.Join(" or ", terms)), ("@limit", depth) };
        var filters = string.Empty;
        if (query.Role is not null)
        {
            filters += " AND (d.roles = '' OR strpos(d.roles, ' ' || @role || ' ') > 0)";
            parameters.Add(("@role", query.Role));
        }

        if (query.Category is not null)
        {
            filters += " AND (d.categories = '' OR strpos(d.categories, ' ' || @category || ' ') > 0)";
            parameters.Add(("@category", query.Category));
        }

        if (query.SourcePrefix is not null)
        {
            filters += @" AND d.source LIKE @source || '%' ESCAPE '\'";
            parameters.Add(("@source", LikePrefix(query.SourcePrefix)));
        }

        // PostgreSQL's default normalisation (none): chunks are already 200-400 tokens. Dividing by 1 + log(length), tried
        // first, ranked the labelled queries worse (recall@5 0.688 against 0.727; README, "PostgreSQL").
        return await connection.RowsAsync(
            $"""
            SELECT c.id, ts_rank_cd({Weights}, c.fts, q)::float8 AS score
            FROM knowledge_chunks c
            JOIN knowledge_documents d ON d.id = c.document_id
            CROSS JOIN websearch_to_tsquery('english', @query) q
            WHERE c.fts @@ q{filters}
            ORDER BY score DESC, c.id
            LIMIT @limit
            """,
            r => (r.Long(0), r.GetDouble(1)), cancellationToken, [.. parameters]);
    }

    protected override Task<long> CountMatchesAsync(DbConnection connection, string term, CancellationToken cancellationToken) =>
        connection.ValueAsync<long>("SELECT count(*) FROM knowledge_chunks WHERE fts @@ websearch_to_tsquery('english', @term)", cancellationToken, ("@term", term));

    protected override Task<long> InsertChunkAsync(DbConnection connection, long documentId, Chunk chunk, string key, string hash, string tags, CancellationToken cancellationToken) =>
        connection.ValueAsync<long>(
            "INSERT INTO knowledge_chunks (document_id, ordinal, chunk_key, title_path, text, tokens, content_hash, tags) VALUES (@doc, @ordinal, @key, @path, @text, @tokens, @hash, @tags) RETURNING id",
            cancellationToken, ("@doc", documentId), ("@ordinal", chunk.Ordinal), ("@key", key), ("@path", chunk.TitlePath), ("@text", chunk.Text), ("@tokens", chunk.Tokens), ("@hash", hash), ("@tags", tags));

    protected override Task DeleteChunksAsync(DbConnection connection, long documentId, CancellationToken cancellationToken) =>
        connection.RunAsync("DELETE FROM knowledge_chunks WHERE document_id = @doc", cancellationToken, ("@doc", documentId));

    protected override async Task<IAsyncDisposable?> LockWritesAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // Waits as long as another instance writes (seeding embeds every built-in chunk: minutes on a small machine).
        await using (var command = connection.Statement("SELECT pg_advisory_lock(@key);", ("@key", WriteLock)))
        {
            command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return new Unlock(connection);
    }

    protected override async Task<long?> ReadGenerationAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.ValueAsync<long>("SELECT generation FROM knowledge_generation WHERE id = 1;", cancellationToken);

    protected override async Task<long?> BumpGenerationAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.ValueAsync<long>("UPDATE knowledge_generation SET generation = generation + 1 WHERE id = 1 RETURNING generation;", cancellationToken);

    private sealed class Unlock(DbConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await connection.RunAsync("SELECT pg_advisory_unlock(@key);", CancellationToken.None, ("@key", WriteLock));
            }
            catch (NpgsqlException)
            {
                // The session is gone, and its lock with it (a pooled connection is reset with DISCARD ALL before reuse).
            }
        }
    }
}
