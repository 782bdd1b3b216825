using System.Data.Common;
using CoachBot.Coaching.Knowledge;
using CoachBot.Coaching.Knowledge.Embeddings;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Storage.Sqlite;

/// <summary>
/// The knowledge store in CoachBot's SQLite file: an FTS5 table (Porter stemming) beside the chunks, ranked by BM25 with
/// title and tags weighted above the body. One process owns the file's writes, so there is no lock or generation to follow.
/// </summary>
internal sealed class SqliteKnowledgeStore(SqliteDatabase database, KnowledgeEmbeddings embeddings, IOptions<KnowledgeOptions> options,
    TimeProvider time, ILogger<SqliteKnowledgeStore> logger, BuiltInKnowledge? builtIn = null)
    : SqlKnowledgeStore(database, embeddings, options, time, logger, builtIn)
{
    protected override async Task<List<(long Id, double Score)>> FullTextAsync(DbConnection connection, IReadOnlyList<string> terms, KnowledgeQuery query, int depth, CancellationToken cancellationToken)
    {
        var match = string.Join(" OR ", terms.Select(t => $"\"{t}\""));

        // Title and tags weigh more than body text: a chunk titled "Filler words" is about filler words. FTS5 sorts by
        // its rank column with LIMIT without materialising every match, so the unfiltered query avoids joins.
        if (query.Role is null && query.Category is null && query.SourcePrefix is null)
        {
            return await connection.RowsAsync(
                """
                SELECT rowid, -rank FROM knowledge_fts
                WHERE knowledge_fts MATCH @match AND rank MATCH 'bm25(3.0, 2.0, 1.0)'
                ORDER BY rank LIMIT @limit
                """,
                r => (r.Long(0), r.GetDouble(1)), cancellationToken, ("@match", match), ("@limit", depth));
        }

        return await connection.RowsAsync(
            """
            SELECT f.rowid, -f.rank
            FROM knowledge_fts f
            JOIN knowledge_chunks c ON c.id = f.rowid
            JOIN knowledge_documents d ON d.id = c.document_id
            WHERE knowledge_fts MATCH @match AND f.rank MATCH 'bm25(3.0, 2.0, 1.0)'
              AND (@role IS NULL OR d.roles = '' OR instr(d.roles, ' ' || @role || ' ') > 0)
              AND (@category IS NULL OR d.categories = '' OR instr(d.categories, ' ' || @category || ' ') > 0)
              AND (@source IS NULL OR d.source LIKE @source || '%' ESCAPE '\')
            ORDER BY f.rank
            LIMIT @limit
            """,
            r => (r.Long(0), r.GetDouble(1)), cancellationToken,
            ("@match", match), ("@role", query.Role), ("@category", query.Category), ("@source", LikePrefix(query.SourcePrefix)), ("@limit", depth));
    }

    protected override Task<long> CountMatchesAsync(DbConnection connection, string term, CancellationToken cancellationToken) =>
        connection.ValueAsync<long>("SELECT count(*) FROM knowledge_fts WHERE knowledge_fts MATCH @term", cancellationToken, ("@term", $"\"{term}\""));

    protected override async Task<long> InsertChunkAsync(DbConnection connection, long documentId, Chunk chunk, string key, string hash, string tags, CancellationToken cancellationToken)
    {
        var id = await connection.ValueAsync<long>(
            "INSERT INTO knowledge_chunks (document_id, ordinal, chunk_key, title_path, text, tokens, content_hash) VALUES (@doc, @ordinal, @key, @path, @text, @tokens, @hash) RETURNING id",
            cancellationToken, ("@doc", documentId), ("@ordinal", chunk.Ordinal), ("@key", key), ("@path", chunk.TitlePath), ("@text", chunk.Text), ("@tokens", chunk.Tokens), ("@hash", hash));
        await connection.RunAsync(
            "INSERT INTO knowledge_fts (rowid, title_path, tags, text) VALUES (@id, @path, @tags, @text)",
            cancellationToken, ("@id", id), ("@path", chunk.TitlePath), ("@tags", tags), ("@text", chunk.Text));
        return id;
    }

    protected override async Task DeleteChunksAsync(DbConnection connection, long documentId, CancellationToken cancellationToken)
    {
        await connection.RunAsync("DELETE FROM knowledge_fts WHERE rowid IN (SELECT id FROM knowledge_chunks WHERE document_id = @doc)", cancellationToken, ("@doc", documentId));
        await connection.RunAsync("DELETE FROM knowledge_chunks WHERE document_id = @doc", cancellationToken, ("@doc", documentId));
    }
}
