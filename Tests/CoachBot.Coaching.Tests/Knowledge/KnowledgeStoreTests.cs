using CoachBot.Coaching.Knowledge;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Coaching.Tests.Knowledge;

public sealed class KnowledgeStoreTests
{
    [Fact]
    public async Task Search_Bm25_FindsTheDocumentThatMentionsTheWords()
    {
        using var fixture = new KnowledgeFixture(generator: KnowledgeFixture.Sif());
        await fixture.Store.IngestAsync(
        [
            Doc.Of("pauses.md", "A silent pause before a key point makes it land. Breathe, then speak."),
            Doc.Of("salary.md", "When asked for salary expectations, give a researched range and anchor it on market data."),
        ], default);

        var result = await fixture.Store.SearchAsync(new KnowledgeQuery("what salary range should I give") { Mode = KnowledgeSearchMode.Bm25 }, default);

        Assert.Equal(KnowledgeSearchMode.Bm25, result.Mode);
        Assert.Equal("salary.md", result.Hits[0].Snippet.Source);
        Assert.Equal("salary.md#0", result.Hits[0].Snippet.ChunkId);
    }
}
