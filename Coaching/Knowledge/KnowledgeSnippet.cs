namespace CoachBot.Coaching.Knowledge;

/// <summary>A piece of retrieved coaching knowledge that advice can be grounded in.</summary>
/// <param name="ChunkId">The stored chunk's id.</param>
/// <param name="Title">The article or document title, with its heading path.</param>
/// <param name="Source">Where it came from: <c>builtin:&lt;article-id&gt;</c>, <c>rubric:&lt;question-id&gt;</c> or an ingested file name.</param>
/// <param name="Text">The chunk text.</param>
/// <param name="Score">The retrieval score (higher is better; comparable only within one search).</param>
public sealed record KnowledgeSnippet(string ChunkId, string Title, string Source, string Text, double Score)
{
    /// <summary>The answer dimension (e.g. <c>structure</c>) this snippet was retrieved for; null when it is about the question.</summary>
    public string? Dimension { get; init; }

    /// <summary>The document title, without the section path.</summary>
    public string DocumentTitle => Title.Split(" > ", 2)[0];
}
