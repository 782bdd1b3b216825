using CoachBot.Coaching.Knowledge;
using CoachBot.Coaching.Tests.Support;
using CoachBot.Coaching.Storage;
using CoachBot.Storage;
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

    [Theory, OnSqlite, OnPostgres]
    public async Task Search_Bm25_FindsTheDocumentThatMentionsTheWords(string provider)
    {
        await using var knowledge = await KnowledgeOnStorage.CreateAsync(provider);
        var store = knowledge.Instance(KnowledgeFixture.SentenceModel());
        await store.IngestAsync([Pauses, Salary], default);

        var result = await store.SearchAsync(new KnowledgeQuery("what salary range should I give") { Mode = KnowledgeSearchMode.Bm25 }, default);

        Assert.Equal(KnowledgeSearchMode.Bm25, result.Mode);
        Assert.Equal("salary.md", result.Hits[0].Snippet.Source);
        Assert.Equal("salary.md#0", result.Hits[0].Snippet.ChunkId);
        Assert.Equal("Salary expectations > Salary", result.Hits[0].Snippet.Title);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Search_Vector_FindsAParaphraseWithNoWordInCommon(string provider)
    {
        await using var knowledge = await KnowledgeOnStorage.CreateAsync(provider);
        var store = knowledge.Instance(KnowledgeFixture.SentenceModel());
        await store.IngestAsync([Pauses, Salary, Debugging], default);

        var result = await store.SearchAsync(new KnowledgeQuery("how much pay to request") { Mode = KnowledgeSearchMode.Vector, Top = 1 }, default);

        Assert.Equal("salary.md", result.Hits[0].Snippet.Source);
        Assert.Equal(1, result.Hits[0].VectorRank);
        Assert.Null(result.Hits[0].Bm25Rank);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Ingest_SameDocumentsTwice_SecondRunChangesAndEmbedsNothing(string provider)
    {
        var counting = new CountingGenerator(KnowledgeFixture.SentenceModel());
        await using var knowledge = await KnowledgeOnStorage.CreateAsync(provider);
        var store = knowledge.Instance(counting);
        var first = await store.IngestAsync([Pauses, Salary], default);
        var embeddedBefore = counting.Texts;

        var second = await store.IngestAsync([Pauses, Salary], default);

        Assert.Equal(new KnowledgeIngestResult(2, 0, 0, 2, 2), first);
        Assert.Equal(new KnowledgeIngestResult(0, 0, 2, 0, 0), second);
        Assert.Equal(embeddedBefore, counting.Texts);
        Assert.Equal(2, (await store.GetStatsAsync(default)).Chunks);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Ingest_ChangedDocument_ReplacesItsChunksAndEmbedsOnlyTheChangedOne(string provider)
    {
        var filler = string.Join(' ', Enumerable.Repeat("Keep each example short and concrete.", 40));
        var closing = string.Join(' ', Enumerable.Repeat("Stop once the story has landed.", 12));
        var before = Doc.Of("guide.md", $"## Openings\n\n{filler}\n\n## Closings\n\n{closing} End with the result and the lesson you learned.", title: "Guide");
        var after = before with { Text = $"## Openings\n\n{filler}\n\n## Closings\n\n{closing} End with a question about the team's roadmap." };
        var counting = new CountingGenerator(KnowledgeFixture.SentenceModel());
        await using var knowledge = await KnowledgeOnStorage.CreateAsync(provider);
        var store = knowledge.Instance(counting, new KnowledgeOptions { ChunkMinTokens = 50 });
        await store.IngestAsync([before], default);
        var textsBefore = counting.Texts;

        var result = await store.IngestAsync([after], default);

        Assert.Equal(1, result.Updated);
        Assert.Equal(1, result.Embedded); // the unchanged "Openings" chunk keeps its vector
        Assert.Equal(textsBefore + 2, counting.Texts); // heading and body of the one changed chunk
        Assert.Empty((await store.SearchAsync(new KnowledgeQuery("lesson learned") { Mode = KnowledgeSearchMode.Bm25 }, default)).Hits);
        Assert.Single((await store.SearchAsync(new KnowledgeQuery("roadmap") { Mode = KnowledgeSearchMode.Bm25 }, default)).Hits);
        // The in-memory matrix follows the change: the old chunk's row is gone, the new one is searchable.
        var vector = await store.SearchAsync(new KnowledgeQuery("ask about the roadmap") { Mode = KnowledgeSearchMode.Vector, Top = 10 }, default);
        Assert.Equal(2, store.VectorCount);
        Assert.Equal(2, vector.Hits.Count);
        Assert.Single(vector.Hits, h => h.Snippet.Text.Contains("roadmap", StringComparison.Ordinal));
        Assert.DoesNotContain(vector.Hits, h => h.Snippet.Text.Contains("lesson you learned", StringComparison.Ordinal));
        Assert.Equal(2, (await store.GetStatsAsync(default)).EmbeddedChunks);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Search_RoleFilter_KeepsThatRoleAndEveryRoleOnly(string provider)
    {
        await using var knowledge = await KnowledgeOnStorage.CreateAsync(provider);
        var store = knowledge.Instance(KnowledgeFixture.SentenceModel());
        await store.IngestAsync([Pauses, Salary, Debugging], default);

        foreach (var mode in new[] { KnowledgeSearchMode.Bm25, KnowledgeSearchMode.Vector, KnowledgeSearchMode.Hybrid })
        {
            var result = await store.SearchAsync(new KnowledgeQuery("pause before the root cause of the salary bug") { Role = "sales", Mode = mode, Top = 10 }, default);

            Assert.Equal(mode, result.Mode);
            Assert.Equal(["pauses.md", "salary.md"], result.Hits.Select(h => h.Snippet.Source).Order(StringComparer.Ordinal));
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Search_CategoryAndSourceFilters_NarrowTheResults(string provider)
    {
        await using var knowledge = await KnowledgeOnStorage.CreateAsync(provider);
        var store = knowledge.Instance(KnowledgeFixture.SentenceModel());
        await store.IngestAsync([Pauses, Salary, Debugging, Doc.Of("debug_100%.md", "Percent signs and underscores in a file name are not wildcards.", title: "Odd name")], default);

        foreach (var mode in new[] { KnowledgeSearchMode.Bm25, KnowledgeSearchMode.Vector })
        {
            var behavioral = await store.SearchAsync(new KnowledgeQuery("salary pause bug root cause") { Category = "behavioral", Mode = mode, Top = 10 }, default);
            var bySource = await store.SearchAsync(new KnowledgeQuery("salary pause bug root cause wildcards") { SourcePrefix = "debug", Mode = mode, Top = 10 }, default);
            var literal = await store.SearchAsync(new KnowledgeQuery("salary pause bug root cause wildcards") { SourcePrefix = "debug_1", Mode = mode, Top = 10 }, default);

            Assert.Equal(["debugging.md", "pauses.md"], behavioral.Hits.Select(h => h.Snippet.Source).Where(s => !s.StartsWith("debug_", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
            Assert.Equal(["debug_100%.md", "debugging.md"], bySource.Hits.Select(h => h.Snippet.Source).Order(StringComparer.Ordinal));
            Assert.Equal(["debug_100%.md"], literal.Hits.Select(h => h.Snippet.Source));
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Search_NoEmbeddingModel_HybridRunsAsBm25AndVectorIsRefusedWithTheReason(string provider)
    {
        var logs = new LogCollector();
        await using var knowledge = await KnowledgeOnStorage.CreateAsync(provider);
        var store = knowledge.Instance(options: new KnowledgeOptions { Embeddings = { Provider = "none" } }, logs: logs);
        await store.IngestAsync([Pauses, Salary], default);

        var hybrid = await store.SearchAsync(new KnowledgeQuery("salary range"), default);
        var refused = await Assert.ThrowsAsync<KnowledgeException>(() => store.SearchAsync(new KnowledgeQuery("salary range") { Mode = KnowledgeSearchMode.Vector }, default));
        var stats = await store.GetStatsAsync(default);

        Assert.Equal(KnowledgeSearchMode.Bm25, hybrid.Mode);
        Assert.Equal("salary.md", hybrid.Hits[0].Snippet.Source);
        Assert.Contains("Knowledge:Embeddings:Provider is 'none'", refused.Message, StringComparison.Ordinal);
        Assert.Null(stats.EmbeddingModel);
        Assert.Equal(0, stats.EmbeddedChunks);
        Assert.Single(logs.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("BM25 only", StringComparison.Ordinal));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task EnsureReady_EmbeddingModelChanged_ReembedsEveryChunkAndKeepsNoOldVector(string provider)
    {
        await using var knowledge = await KnowledgeOnStorage.CreateAsync(provider);
        var first = knowledge.Instance(KnowledgeFixture.SentenceModel());
        await first.IngestAsync([Pauses, Salary, Debugging], default);

        var logs = new LogCollector();
        var second = knowledge.Instance(new HashingGenerator(), logs: logs);
        var stats = await second.GetStatsAsync(default);
        var result = await second.SearchAsync(new KnowledgeQuery("salary expectations range") { Mode = KnowledgeSearchMode.Vector, Top = 3 }, default);

        Assert.Equal("test:hashing-64", stats.EmbeddingModel);
        Assert.Equal(3, stats.EmbeddedChunks);
        Assert.Equal(0, await CountAsync(knowledge, "SELECT count(*) FROM knowledge_vectors WHERE model <> 'test:hashing-64'"));
        Assert.Equal(3, result.Hits.Count);
        Assert.Contains(logs.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("changed from snowflake-arctic-embed-xs", StringComparison.Ordinal));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Search_BadQuery_IsRefusedWithAClearMessage(string provider)
    {
        await using var knowledge = await KnowledgeOnStorage.CreateAsync(provider);
        var store = knowledge.Instance(KnowledgeFixture.SentenceModel());
        await store.IngestAsync([Pauses, Salary], default);

        var empty = await Assert.ThrowsAsync<KnowledgeException>(() => store.SearchAsync(new KnowledgeQuery("  "), default));
        var tooMany = await Assert.ThrowsAsync<KnowledgeException>(() => store.SearchAsync(new KnowledgeQuery("pauses") { Top = 500 }, default));
        var operators = await store.SearchAsync(new KnowledgeQuery("\"unbalanced AND (NEAR* -") { Mode = KnowledgeSearchMode.Bm25 }, default);
        var websearch = await store.SearchAsync(new KnowledgeQuery("-salary OR \"pauses") { Mode = KnowledgeSearchMode.Bm25, Top = 10 }, default);

        Assert.Contains("empty", empty.Message, StringComparison.Ordinal);
        Assert.Contains("between 1 and 50", tooMany.Message, StringComparison.Ordinal);
        Assert.Empty(operators.Hits);
        // No operator of the user's reaches the engine: "-salary" does not exclude salary, the words are OR-ed.
        Assert.Equal(["pauses.md", "salary.md"], websearch.Hits.Select(h => h.Snippet.Source).Order(StringComparer.Ordinal));
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

    [Theory, OnSqlite, OnPostgres]
    public async Task Search_LargeStore_CommonWordsDoNotDrownTheRareOne(string provider)
    {
        await using var knowledge = await KnowledgeOnStorage.CreateAsync(provider);
        var store = knowledge.Instance(options: new KnowledgeOptions { Embeddings = { Provider = "none" } });
        var documents = Enumerable.Range(0, SqlKnowledgeStore.PruneAboveChunks + 50)
            .Select(i => Doc.Of($"note-{i}.md", $"Team meeting notes number {i}: the team discussed the roadmap and the team agreed on next steps.", title: $"Note {i}"))
            .Append(Doc.Of("escalation.md", "How to escalate a production outage to the on-call engineer.", title: "Escalation"))
            .ToList();
        await store.IngestAsync(documents, default);

        var rare = await store.SearchAsync(new KnowledgeQuery("team outage") { Mode = KnowledgeSearchMode.Bm25, Top = 3 }, default);
        var onlyCommon = await store.SearchAsync(new KnowledgeQuery("team roadmap") { Mode = KnowledgeSearchMode.Bm25, Top = 3 }, default);
        var unknown = await store.SearchAsync(new KnowledgeQuery("zebra") { Mode = KnowledgeSearchMode.Bm25 }, default);

        Assert.Equal("escalation.md", rare.Hits[0].Snippet.Source);
        Assert.Equal(3, onlyCommon.Hits.Count);
        Assert.Empty(unknown.Hits);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Delete_Document_LeavesEveryRankingTheStatsAndShow(string provider)
    {
        await using var knowledge = await KnowledgeOnStorage.CreateAsync(provider);
        var store = knowledge.Instance(KnowledgeFixture.SentenceModel());
        await store.IngestAsync([Pauses, Salary, Debugging], default);

        var deleted = await store.DeleteAsync("salary.md", default);
        var again = await store.DeleteAsync("salary.md", default);

        Assert.True(deleted);
        Assert.False(again);
        foreach (var mode in new[] { KnowledgeSearchMode.Bm25, KnowledgeSearchMode.Vector, KnowledgeSearchMode.Hybrid })
        {
            var result = await store.SearchAsync(new KnowledgeQuery("what salary range should I give") { Mode = mode, Top = 10 }, default);
            Assert.DoesNotContain(result.Hits, h => h.Snippet.Source == "salary.md");
        }

        var stats = await store.GetStatsAsync(default);
        Assert.Equal((2, 2, 2), (stats.Documents, stats.Chunks, stats.EmbeddedChunks));
        Assert.Equal(2, store.VectorCount);
        Assert.Null(await store.GetDocumentAsync("salary.md", default));
        Assert.Equal(2, await CountAsync(knowledge, "SELECT count(*) FROM knowledge_vectors"));
        var empty = await Assert.ThrowsAsync<KnowledgeException>(() => store.DeleteAsync(" ", default));
        Assert.Contains("Which document", empty.Message, StringComparison.Ordinal);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Ingest_EmptyOrOversizedDocument_IsRefusedSayingWhichAndStoresNothing(string provider)
    {
        await using var knowledge = await KnowledgeOnStorage.CreateAsync(provider);
        var store = knowledge.Instance(KnowledgeFixture.SentenceModel(), new KnowledgeOptions { MaxFileBytes = 2_048 });
        var oversized = Doc.Of("handbook.md", string.Join(' ', Enumerable.Repeat("A long handbook sentence.", 200)), title: "Handbook");
        var blank = Doc.Of("blank.md", " \n\n ", title: "Blank");
        var untitled = Doc.Of("untitled.md", "Some text.", title: " ");

        var tooLarge = await Assert.ThrowsAsync<KnowledgeException>(() => store.IngestAsync([Pauses, oversized], default));
        var empty = await Assert.ThrowsAsync<KnowledgeException>(() => store.IngestAsync([Salary, blank], default));
        var noTitle = await Assert.ThrowsAsync<KnowledgeException>(() => store.IngestAsync([untitled], default));

        Assert.Contains("'handbook.md' has 5,199 characters; at most 2,048", tooLarge.Message, StringComparison.Ordinal);
        Assert.Contains("Knowledge:MaxFileBytes", tooLarge.Message, StringComparison.Ordinal);
        Assert.Contains("'blank.md' has no text", empty.Message, StringComparison.Ordinal);
        Assert.Contains("needs a source and a title", noTitle.Message, StringComparison.Ordinal);
        // A batch with a bad document stores none of it, so nothing is half ingested.
        var stats = await store.GetStatsAsync(default);
        Assert.Equal((0, 0), (stats.Documents, stats.Chunks));
    }

    [Theory, OnPostgres]
    public async Task Search_SecondInstance_FindsWhatTheFirstIngestedAndForgetsWhatItDeleted(string provider)
    {
        await using var knowledge = await KnowledgeOnStorage.CreateAsync(provider);
        var a = knowledge.Instance(KnowledgeFixture.SentenceModel());
        var b = knowledge.Instance(KnowledgeFixture.SentenceModel());
        await a.IngestAsync([Pauses], default);
        await b.EnsureReadyAsync(default);

        await a.IngestAsync([Salary, Debugging], default);
        var vector = await b.SearchAsync(new KnowledgeQuery("how much pay to request") { Mode = KnowledgeSearchMode.Vector, Top = 1 }, default);
        var hybrid = await b.SearchAsync(new KnowledgeQuery("root cause of the bug"), default);
        var stats = await b.GetStatsAsync(default);

        Assert.Equal("salary.md", vector.Hits[0].Snippet.Source);
        Assert.Equal("debugging.md", hybrid.Hits[0].Snippet.Source);
        Assert.NotNull(hybrid.Hits[0].VectorRank);
        Assert.Equal((3, 3, 3), (stats.Documents, stats.Chunks, stats.EmbeddedChunks));
        Assert.Equal(3, b.VectorCount);

        await b.DeleteAsync("salary.md", default);
        await b.IngestAsync([Pauses with { Text = "## Pauses\n\nCount to two in silence before the number you want them to remember." }], default);
        var afterDelete = await a.SearchAsync(new KnowledgeQuery("how much pay to request") { Mode = KnowledgeSearchMode.Vector, Top = 5 }, default);
        var changed = await a.SearchAsync(new KnowledgeQuery("silence before the number") { Mode = KnowledgeSearchMode.Vector, Top = 1 }, default);

        Assert.DoesNotContain(afterDelete.Hits, h => h.Snippet.Source == "salary.md");
        Assert.Equal(2, a.VectorCount);
        Assert.Contains("Count to two", changed.Hits[0].Snippet.Text, StringComparison.Ordinal);
    }

    [Theory, OnPostgres]
    public async Task EnsureReady_ThreeInstancesStartTogether_SeedTheBuiltInKnowledgeOnce(string provider)
    {
        await using var knowledge = await KnowledgeOnStorage.CreateAsync(provider);
        var generators = Enumerable.Range(0, 3).Select(_ => new CountingGenerator(new HashingGenerator())).ToList();
        var stores = generators.Select(g => knowledge.Instance(g, builtInKnowledge: true)).ToList();

        await Task.WhenAll(stores.Select(s => Task.Run(() => s.EnsureReadyAsync(default))));

        var stats = await stores[0].GetStatsAsync(default);
        var articles = Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "knowledge"), "*.md").Count();
        Assert.Equal(articles + Bank.BuiltIn.All.Count, stats.Documents);
        Assert.Equal(stats.Chunks, stats.EmbeddedChunks);
        // Each chunk embedded once (a heading and a body text each), by whichever instance seeded; the others found it done.
        Assert.Equal(2 * await CountAsync(knowledge, "SELECT count(DISTINCT content_hash) FROM knowledge_chunks"), generators.Sum(g => g.Texts));
        Assert.Single(generators, g => g.Texts > 0);
        Assert.All(stores, s => Assert.Equal(stats.EmbeddedChunks, s.VectorCount));
    }

    private static async Task<long> CountAsync(KnowledgeOnStorage knowledge, string sql)
    {
        await using var connection = await knowledge.Storage.Database().OpenConnectionAsync(default);
        return await connection.ValueAsync<long>(sql, default);
    }
}
