using CoachBot.Coaching.Knowledge;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Coaching.Tests.Knowledge;

public sealed class ChunkerTests
{
    private static string Sentences(string topic, int count) =>
        string.Join(' ', Enumerable.Range(1, count).Select(i => $"Sentence {i} explains one more point about {topic} in plain words."));

    [Fact]
    public void FromMarkdown_FrontMatter_ReadsTitleRolesCategoriesAndTags()
    {
        var document = DocumentParser.FromMarkdown("builtin:x", "x.md",
            "---\nid: x\ntitle: Pause instead of filling\nroles: [sales, designer]\ncategories: [all]\ntags: [pauses, delivery]\n---\n# Heading\n\nBody text.");

        Assert.Equal("Pause instead of filling", document.Title);
        Assert.Equal(["sales", "designer"], document.Roles);
        Assert.Empty(document.Categories);
        Assert.Equal(["pauses", "delivery"], document.Tags);
        Assert.DoesNotContain("roles:", document.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void FromHtml_Page_DropsScriptsAndKeepsHeadingsAsOutline()
    {
        var document = DocumentParser.FromHtml("values.html", "values.html",
            "<html><head><title>Our values</title><script>var secret = 1;</script></head><body><h1>Our values</h1>" +
            "<h2>Customers first</h2><p>We answer every ticket within a day &amp; follow up.</p><ul><li>Listen</li><li>Act</li></ul></body></html>");

        Assert.Equal("Our values", document.Title);
        Assert.DoesNotContain("secret", document.Text, StringComparison.Ordinal);
        Assert.Contains("## Customers first", document.Text, StringComparison.Ordinal);
        Assert.Contains("within a day & follow up", document.Text, StringComparison.Ordinal);
        Assert.Contains("- Listen", document.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_NestedHeadings_TitlePathFollowsTheOutline()
    {
        var document = Doc.Of("guide.md", $"# Guide\n\n## Answers\n\n{Sentences("answers", 15)}\n\n### Results\n\n{Sentences("results", 15)}", title: "Guide");

        var chunks = Chunker.Split(document, minTokens: 100, maxTokens: 400, overlapTokens: 50);

        Assert.Equal(["Guide > Answers", "Guide > Answers > Results"], chunks.Select(c => c.TitlePath));
        Assert.StartsWith("Results", chunks[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_SmallSections_AreMergedUpToTheMinimum()
    {
        var document = Doc.Of("small.md", string.Join("\n\n", Enumerable.Range(1, 6).Select(i => $"## Part {i}\n\n{Sentences($"part {i}", 4)}")), title: "Small");

        var chunks = Chunker.Split(document, minTokens: 200, maxTokens: 400, overlapTokens: 50);

        Assert.True(chunks.Count < 6, $"{chunks.Count} chunks for 6 small sections");
        Assert.All(chunks, c => Assert.InRange(c.Tokens, 1, 400));
    }

    [Fact]
    public void Split_LongSection_PiecesStayUnderTheMaximumAndOverlap()
    {
        var document = Doc.Of("long.md", "## Long\n\n" + Sentences("pacing", 120), title: "Long");

        var chunks = Chunker.Split(document, minTokens: 200, maxTokens: 300, overlapTokens: 40);

        Assert.True(chunks.Count >= 4);
        Assert.All(chunks, c => Assert.InRange(c.Tokens, 1, 300));
        for (var i = 1; i < chunks.Count; i++)
        {
            // The next piece starts with the last sentence of the previous one.
            var lastSentence = System.Text.RegularExpressions.Regex.Split(chunks[i - 1].Text, @"(?<=\.)\s+")[^1];
            Assert.Contains(lastSentence, chunks[i].Text[..Math.Min(200, chunks[i].Text.Length)], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Split_BuiltInArticles_ChunksAreWithinTheConfiguredSize()
    {
        var options = new KnowledgeOptions();
        var articles = Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "knowledge"), "*.md")
            .Select(f => DocumentParser.FromMarkdown("builtin:" + Path.GetFileNameWithoutExtension(f), f, File.ReadAllText(f))).ToList();

        var chunks = articles.Select(a => Chunker.Split(a, options.ChunkMinTokens, options.ChunkMaxTokens, options.ChunkOverlapTokens)).ToList();

        Assert.True(articles.Count >= 60, $"{articles.Count} built-in articles");
        Assert.All(chunks.SelectMany(c => c), c => Assert.InRange(c.Tokens, 1, options.ChunkMaxTokens));
        // Only the tail of an article may fall short of the minimum.
        Assert.All(chunks, c => Assert.True(c.Take(c.Count - 1).All(x => x.Tokens >= options.ChunkMinTokens)));
    }
}
