using CoachBot.Coaching.Knowledge;
using CoachBot.Coaching.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CoachBot.Coaching.Tests.Knowledge;

public sealed class KnowledgeStoreTests
{
    private static readonly KnowledgeDocument Salary = Doc.Of("salary.md",
        "## Salary\n\nWhen asked for salary expectations, give a researched range and anchor it on market data for the role.",
        title: "Salary expectations", categories: ["motivation"], tags: ["salary", "negotiation"]);

    private static readonly KnowledgeDocument Pauses = Doc.Of("pauses.md",
        "## Pauses\n\nA silent pause before a key point makes it land. Breathe, slow down, then speak.",
        title: "Pauses", roles: ["sales"], tags: ["delivery"]);

    private static readonly KnowledgeDocument Debugging = Doc.Of("debugging.md",
        "## Debugging stories\n\nWalk through how you found the root cause of the bug: the logs, the hypothesis, the fix.",
        title: "Debugging stories", roles: ["software-engineer"], categories: ["behavioral"]);

    [Fact]
    public async Task Search_Bm25_FindsTheDocumentThatMentionsTheWords()
    {
        using var fixture = new KnowledgeFixture(generator: KnowledgeFixture.SentenceModel());
        await fixture.Store.IngestAsync([Pauses, Salary], default);

        var result = await fixture.Store.SearchAsync(new KnowledgeQuery("what salary range should I give") { Mode = KnowledgeSearchMode.Bm25 }, default);

        Assert.Equal(KnowledgeSearchMode.Bm25, result.Mode);
        Assert.Equal("salary.md", result.Hits[0].Snippet.Source);
        Assert.Equal("salary.md#0", result.Hits[0].Snippet.ChunkId);
        Assert.Equal("Salary expectations > Salary", result.Hits[0].Snippet.Title);
    }

    [Fact]
    public async Task Search_Vector_FindsAParaphraseWithNoWordInCommon()
    {
        using var fixture = new KnowledgeFixture(generator: KnowledgeFixture.SentenceModel());
        await fixture.Store.IngestAsync([Pauses, Salary, Debugging], default);

        var result = await fixture.Store.SearchAsync(new KnowledgeQuery("how much pay to request") { Mode = KnowledgeSearchMode.Vector, Top = 1 }, default);

        Assert.Equal("salary.md", result.Hits[0].Snippet.Source);
        Assert.Equal(1, result.Hits[0].VectorRank);
        Assert.Null(result.Hits[0].Bm25Rank);
    }

    [Fact]
    public async Task Ingest_SameDocumentsTwice_SecondRunChangesAndEmbedsNothing()
    {
        var counting = new CountingGenerator(KnowledgeFixture.SentenceModel());
        using var fixture = new KnowledgeFixture(generator: counting);
        var first = await fixture.Store.IngestAsync([Pauses, Salary], default);
        var embeddedBefore = counting.Texts;

        var second = await fixture.Store.IngestAsync([Pauses, Salary], default);

        Assert.Equal(new KnowledgeIngestResult(2, 0, 0, 2, 2), first);
        Assert.Equal(new KnowledgeIngestResult(0, 0, 2, 0, 0), second);
        Assert.Equal(embeddedBefore, counting.Texts);
        Assert.Equal(2, (await fixture.Store.GetStatsAsync(default)).Chunks);
    }

    [Fact]
    public async Task Ingest_ChangedDocument_ReplacesItsChunksAndEmbedsOnlyTheChangedOne()
    {
        var filler = string.Join(' ', Enumerable.Repeat("Keep each example short and concrete.", 40));
        var closing = string.Join(' ', Enumerable.Repeat("Stop once the story has landed.", 12));
        var before = Doc.Of("guide.md", $"## Openings\n\n{filler}\n\n## Closings\n\n{closing} End with the result and the lesson you learned.", title: "Guide");
        var after = before with { Text = $"## Openings\n\n{filler}\n\n## Closings\n\n{closing} End with a question about the team's roadmap." };
        var counting = new CountingGenerator(KnowledgeFixture.SentenceModel());
        using var fixture = new KnowledgeFixture(new KnowledgeOptions { ChunkMinTokens = 50 }, generator: counting);
        await fixture.Store.IngestAsync([before], default);
        var textsBefore = counting.Texts;

        var result = await fixture.Store.IngestAsync([after], default);

        Assert.Equal(1, result.Updated);
        Assert.Equal(1, result.Embedded); // the unchanged "Openings" chunk keeps its vector
        Assert.Equal(textsBefore + 2, counting.Texts); // heading and body of the one changed chunk
        Assert.Empty((await fixture.Store.SearchAsync(new KnowledgeQuery("lesson learned") { Mode = KnowledgeSearchMode.Bm25 }, default)).Hits);
        // The in-memory matrix follows the change: the old chunk's row is gone, the new one is searchable.
        var vector = await fixture.Store.SearchAsync(new KnowledgeQuery("ask about the roadmap") { Mode = KnowledgeSearchMode.Vector, Top = 10 }, default);
        Assert.Equal(2, fixture.Store.VectorCount);
        Assert.Equal(2, vector.Hits.Count);
        Assert.Single(vector.Hits, h => h.Snippet.Text.Contains("roadmap", StringComparison.Ordinal));
        Assert.DoesNotContain(vector.Hits, h => h.Snippet.Text.Contains("lesson you learned", StringComparison.Ordinal));
        Assert.Equal(2, (await fixture.Store.GetStatsAsync(default)).EmbeddedChunks);
    }

    [Theory]
    [InlineData(KnowledgeSearchMode.Bm25)]
    [InlineData(KnowledgeSearchMode.Vector)]
    [InlineData(KnowledgeSearchMode.Hybrid)]
    public async Task Search_RoleFilter_KeepsThatRoleAndEveryRoleOnly(KnowledgeSearchMode mode)
    {
        using var fixture = new KnowledgeFixture(generator: KnowledgeFixture.SentenceModel());
        await fixture.Store.IngestAsync([Pauses, Salary, Debugging], default);

        var result = await fixture.Store.SearchAsync(new KnowledgeQuery("pause before the root cause of the salary bug") { Role = "sales", Mode = mode, Top = 10 }, default);

        Assert.Equal(["pauses.md", "salary.md"], result.Hits.Select(h => h.Snippet.Source).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(KnowledgeSearchMode.Bm25)]
    [InlineData(KnowledgeSearchMode.Vector)]
    public async Task Search_CategoryAndSourceFilters_NarrowTheResults(KnowledgeSearchMode mode)
    {
        using var fixture = new KnowledgeFixture(generator: KnowledgeFixture.SentenceModel());
        await fixture.Store.IngestAsync([Pauses, Salary, Debugging], default);

        var behavioral = await fixture.Store.SearchAsync(new KnowledgeQuery("salary pause bug root cause") { Category = "behavioral", Mode = mode, Top = 10 }, default);
        var bySource = await fixture.Store.SearchAsync(new KnowledgeQuery("salary pause bug root cause") { SourcePrefix = "debug", Mode = mode, Top = 10 }, default);

        Assert.Equal(["debugging.md", "pauses.md"], behavioral.Hits.Select(h => h.Snippet.Source).Order(StringComparer.Ordinal));
        Assert.Equal(["debugging.md"], bySource.Hits.Select(h => h.Snippet.Source));
    }

    [Fact]
    public async Task Search_NoEmbeddingModel_HybridRunsAsBm25AndVectorIsRefusedWithTheReason()
    {
        var logs = new LogCollector();
        var options = new KnowledgeOptions { Embeddings = { Provider = "none" } };
        using var fixture = new KnowledgeFixture(options, logs: logs);
        await fixture.Store.IngestAsync([Pauses, Salary], default);

        var hybrid = await fixture.Store.SearchAsync(new KnowledgeQuery("salary range"), default);
        var refused = await Assert.ThrowsAsync<KnowledgeException>(() => fixture.Store.SearchAsync(new KnowledgeQuery("salary range") { Mode = KnowledgeSearchMode.Vector }, default));
        var stats = await fixture.Store.GetStatsAsync(default);

        Assert.Equal(KnowledgeSearchMode.Bm25, hybrid.Mode);
        Assert.Equal("salary.md", hybrid.Hits[0].Snippet.Source);
        Assert.Contains("Knowledge:Embeddings:Provider is 'none'", refused.Message, StringComparison.Ordinal);
        Assert.Null(stats.EmbeddingModel);
        Assert.Equal(0, stats.EmbeddedChunks);
        Assert.Single(logs.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("BM25 only", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EnsureReady_EmbeddingModelChanged_ReembedsEveryChunkAndKeepsNoOldVector()
    {
        using var database = new TempDatabase();
        using (var first = new KnowledgeFixture(generator: KnowledgeFixture.SentenceModel(), database: database))
        {
            await first.Store.IngestAsync([Pauses, Salary, Debugging], default);
        }

        var logs = new LogCollector();
        using var second = new KnowledgeFixture(generator: new HashingGenerator(), database: database, logs: logs);
        var stats = await second.Store.GetStatsAsync(default);
        var result = await second.Store.SearchAsync(new KnowledgeQuery("salary expectations range") { Mode = KnowledgeSearchMode.Vector, Top = 3 }, default);

        Assert.Equal("test:hashing-64", stats.EmbeddingModel);
        Assert.Equal(3, stats.EmbeddedChunks);
        Assert.Equal(0, await CountAsync(database, "SELECT count(*) FROM knowledge_vectors WHERE model <> 'test:hashing-64'"));
        Assert.Equal(3, result.Hits.Count);
        Assert.Contains(logs.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("changed from snowflake-arctic-embed-xs", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Search_BadQuery_IsRefusedWithAClearMessage()
    {
        using var fixture = new KnowledgeFixture(generator: KnowledgeFixture.SentenceModel());
        await fixture.Store.IngestAsync([Pauses, Salary], default);

        var empty = await Assert.ThrowsAsync<KnowledgeException>(() => fixture.Store.SearchAsync(new KnowledgeQuery("  "), default));
        var tooMany = await Assert.ThrowsAsync<KnowledgeException>(() => fixture.Store.SearchAsync(new KnowledgeQuery("pauses") { Top = 500 }, default));
        var operators = await fixture.Store.SearchAsync(new KnowledgeQuery("\"unbalanced AND (NEAR* -") { Mode = KnowledgeSearchMode.Bm25 }, default);

        Assert.Contains("empty", empty.Message, StringComparison.Ordinal);
        Assert.Contains("between 1 and 50", tooMany.Message, StringComparison.Ordinal);
        Assert.Empty(operators.Hits);
    }

    [Fact]
    public async Task EnsureReady_BuiltInKnowledge_IndexesEveryArticleAndEveryRubricOnce()
    {
        using var database = new TempDatabase();
        using (var first = new KnowledgeFixture(generator: KnowledgeFixture.SentenceModel(), builtInKnowledge: true, database: database))
        {
            await first.Store.EnsureReadyAsync(default);
        }

        var counting = new CountingGenerator(KnowledgeFixture.SentenceModel());
        using var again = new KnowledgeFixture(generator: counting, builtInKnowledge: true, database: database);
        var stats = await again.Store.GetStatsAsync(default);
        var embeddedAtStart = counting.Texts;
        var rubric = await again.Store.SearchAsync(new KnowledgeQuery("what a strong answer covers: hardest bug root cause") { SourcePrefix = "rubric:", Top = 1 }, default);

        var articles = Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "knowledge"), "*.md").Count();
        Assert.Equal(articles + Bank.BuiltIn.All.Count, stats.Documents);
        Assert.Equal(Bank.BuiltIn.All.Count, stats.Sources["rubric"]);
        Assert.Equal(stats.Chunks, stats.EmbeddedChunks);
        Assert.Equal(0, embeddedAtStart); // unchanged content is not embedded again at the next start
        Assert.Equal("rubric:swe-002", rubric.Hits[0].Snippet.Source);
    }

    [Fact]
    public async Task Search_LargeStore_CommonWordsDoNotDrownTheRareOne()
    {
        using var fixture = new KnowledgeFixture(generator: KnowledgeFixture.SentenceModel());
        var documents = Enumerable.Range(0, SqliteKnowledgeStore.PruneAboveChunks + 50)
            .Select(i => Doc.Of($"note-{i}.md", $"Team meeting notes number {i}: the team discussed the roadmap and the team agreed on next steps.", title: $"Note {i}"))
            .Append(Doc.Of("escalation.md", "How to escalate a production outage to the on-call engineer.", title: "Escalation"))
            .ToList();
        await fixture.Store.IngestAsync(documents, default);

        var rare = await fixture.Store.SearchAsync(new KnowledgeQuery("team outage") { Mode = KnowledgeSearchMode.Bm25, Top = 3 }, default);
        var onlyCommon = await fixture.Store.SearchAsync(new KnowledgeQuery("team roadmap") { Mode = KnowledgeSearchMode.Bm25, Top = 3 }, default);
        var unknown = await fixture.Store.SearchAsync(new KnowledgeQuery("zebra") { Mode = KnowledgeSearchMode.Bm25 }, default);

        Assert.Equal("escalation.md", rare.Hits[0].Snippet.Source);
        Assert.Equal(3, onlyCommon.Hits.Count);
        Assert.Empty(unknown.Hits);
    }

    private static async Task<long> CountAsync(TempDatabase database, string sql)
    {
        await using var connection = await database.Database.OpenAsync(default);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
