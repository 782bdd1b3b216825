using CoachBot.Coaching.Knowledge;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Coaching.Tests.Knowledge;

public sealed class KnowledgeDocumentTests
{
    [Fact]
    public async Task GetDocument_IngestedFile_ReturnsTitleAndEveryChunkInOrderWithoutTheOverlap()
    {
        // Long enough to be split into several chunks, each piece starting with the last sentences of the previous one.
        var sentences = Enumerable.Range(1, 120).Select(i => $"Sentence number {i} says one more thing about pauses.").ToList();
        var document = Doc.Of("guides/pauses guide.md",
            "## Why pause\n\n" + string.Join(' ', sentences) + "\n\n## How to practise\n\nRecord yourself and count the pauses.",
            title: "Pauses that land");
        using var fixture = new KnowledgeFixture(new KnowledgeOptions { ChunkMinTokens = 50, ChunkMaxTokens = 200, ChunkOverlapTokens = 30 });
        var ingested = await fixture.Store.IngestAsync([document], default);

        var article = await fixture.Store.GetDocumentAsync("guides/pauses guide.md", default);

        Assert.True(ingested.Chunks > 3, $"{ingested.Chunks} chunks");
        Assert.NotNull(article);
        Assert.Equal("Pauses that land", article.Title);
        Assert.StartsWith("## Why pause\n\nSentence number 1 says", article.Text, StringComparison.Ordinal);
        // Every sentence once, in order: the overlap the chunker repeats is not repeated here.
        var positions = sentences.Select(s => article.Text.IndexOf(s, StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p >= 0));
        Assert.Equal(positions.Order(), positions);
        Assert.All(sentences, s => Assert.Equal(article.Text.IndexOf(s, StringComparison.Ordinal), article.Text.LastIndexOf(s, StringComparison.Ordinal)));
        Assert.EndsWith("Record yourself and count the pauses.", article.Text, StringComparison.Ordinal);
        Assert.Contains("How to practise", article.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetDocument_BuiltInArticleOnAFreshDatabase_IsThere()
    {
        using var fixture = new KnowledgeFixture(builtInKnowledge: true);

        var article = await fixture.Store.GetDocumentAsync("builtin:star-method-basics", default);

        Assert.NotNull(article);
        Assert.False(string.IsNullOrWhiteSpace(article.Title));
        Assert.Contains("Situation", article.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("builtin:no-such-article")]
    [InlineData("")]
    [InlineData("%")]
    public async Task GetDocument_UnknownSource_ReturnsNull(string source)
    {
        using var fixture = new KnowledgeFixture();
        await fixture.Store.IngestAsync([Doc.Of("values.md", "## Values\n\nWe call every churned customer within a week.", title: "Values")], default);

        Assert.Null(await fixture.Store.GetDocumentAsync(source, default));
    }
}
