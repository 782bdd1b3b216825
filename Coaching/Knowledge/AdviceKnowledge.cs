using CoachBot.Coaching.Advice;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Scoring;
using CoachBot.Coaching.Scoring.Types;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Knowledge;

/// <summary>
/// Picks the knowledge a coached answer's advice is grounded in: one snippet for each of the answer's weakest
/// dimensions (searched with what fixing that dimension is about, for the question's role and category) and one for
/// the question itself. Rubrics are left out: the coach already has the question's rubric.
/// </summary>
internal sealed class AdviceKnowledge(IKnowledgeStore store, IOptions<KnowledgeOptions> options, ILogger<AdviceKnowledge> logger)
{
    /// <summary>Dimensions searched for, at most: the coach gives at most three improvements.</summary>
    private const int MaxDimensions = 3;

    public async Task<IReadOnlyList<KnowledgeSnippet>> ForAnswerAsync(Question question, ContentAnalysis content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(content);
        if (!options.Value.UseInCoaching)
        {
            return [];
        }

        var role = Roles.All.Contains(question.Role) ? question.Role : null;
        var category = Categories.All.Contains(question.Category) ? question.Category : null;
        var chosen = new List<KnowledgeSnippet>();
        try
        {
            // Weakest first, by the overall points fixing each could win (the order the coach's improvements follow).
            var weak = content.Scores.Where(s => s.Score < 80)
                .OrderByDescending(RuleBasedCoach.Gain).ThenBy(s => s.Name, StringComparer.Ordinal)
                .Take(MaxDimensions).ToList();
            foreach (var score in weak)
            {
                // Relevance is about this question, so the question is the query.
                var text = score.Name == Dimensions.Relevance ? question.Text : DimensionQuery(score.Name, question.Category);
                if (await BestAsync(text, role, category, chosen, cancellationToken) is { } snippet)
                {
                    chosen.Add(snippet with { Dimension = score.Name });
                }
            }

            if (!weak.Exists(s => s.Name == Dimensions.Relevance) &&
                await BestAsync(question.Text, role, category, chosen, cancellationToken) is { } about)
            {
                chosen.Add(about);
            }
        }
        catch (Exception ex) when (ex is KnowledgeException or HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Retrieval grounds the advice but is not needed for it: coach without it and say so in the log.
            Log.RetrievalFailed(logger, ex, question.Id);
        }

        return chosen;
    }

    /// <summary>
    /// Points each improvement to the article that best matches it: the one its tip names, else searched with the
    /// improvement itself (its title and what fixing its dimension is about) for the question's role, never a rubric. A
    /// search never returns an article an earlier tip took; a named article may serve two tips.
    /// </summary>
    public async Task<IReadOnlyList<Improvement>> PointersAsync(Question question, IReadOnlyList<Improvement> improvements, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(improvements);
        if (!options.Value.UseInCoaching || improvements.Count == 0)
        {
            return improvements;
        }

        var role = Roles.All.Contains(question.Role) ? question.Role : null;
        // Articles written for the opposite question (strengths for a weakness question) are never offered: taken from the start.
        var opposite = TipArticles.Opposite(question).Select(Placeholder).ToList();
        var taken = new List<KnowledgeSnippet>(opposite);
        var result = new List<Improvement>(improvements.Count);
        try
        {
            foreach (var improvement in improvements)
            {
                var about = improvement.About
                    ?? (improvement.Dimension is { } dimension && dimension != Dimensions.Delivery
                        ? $"{improvement.Title}. {DimensionQuery(dimension, question.Category)}"
                        : $"{improvement.Title}. {improvement.Suggestion}");
                // A tip that names its articles takes the first one still free, else the first an earlier tip took: the
                // same article twice serves a reader better than a search's weaker match (a blind judge found the
                // weakness tip after another pointed to the failure-story article, "why here" to "why this role").
                // Then a tip that names its question's category looks among that category's own articles first, then among all.
                // An article written for a judgement concern is that concern's tip's: a search for another tip never lands
                // on it (a "Ground it in an example" tip once drew the one on cutting corners, for its words on examples).
                List<KnowledgeSnippet> searchTaken = [.. taken, .. JudgementConcerns.Articles.Where(a => improvement.Articles?.Contains(a) != true).Select(Placeholder)];
                var snippet = await NamedAsync(improvement.Articles, taken, cancellationToken)
                    ?? await NamedAsync(improvement.Articles, opposite, cancellationToken)
                    ?? (improvement.AboutCategory is { } aboutCategory && Categories.All.Contains(aboutCategory)
                        ? await BestAsync(about, role, aboutCategory, searchTaken, cancellationToken, namesCategory: true)
                        : null)
                    ?? await BestAsync(about, role, null, searchTaken, cancellationToken)
                    // Nothing found for the tip, yet the question has an article of its own: that one rather than none.
                    ?? await NamedAsync(TipArticles.ForQuestion(question), taken, cancellationToken);
                if (snippet is null)
                {
                    result.Add(improvement);
                    continue;
                }

                taken.Add(snippet);
                result.Add(improvement with { Reference = new ReportReference(snippet.DocumentTitle, snippet.Source) { Id = snippet.Source } });
            }
        }
        catch (Exception ex) when (ex is KnowledgeException or HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Log.RetrievalFailed(logger, ex, question.Id);
            return improvements;
        }

        return result;
    }

    private static KnowledgeSnippet Placeholder(string id) =>
        new(BuiltInKnowledge.ArticlePrefix + id, id, BuiltInKnowledge.ArticlePrefix + id, string.Empty, 0);

    /// <summary>The first of the named built-in articles that the store holds and no earlier tip took, as a snippet for its pointer.</summary>
    private async Task<KnowledgeSnippet?> NamedAsync(IReadOnlyList<string>? articles, List<KnowledgeSnippet> taken, CancellationToken cancellationToken)
    {
        foreach (var id in articles ?? [])
        {
            var source = BuiltInKnowledge.ArticlePrefix + id;
            if (taken.Exists(t => t.Source == source))
            {
                continue;
            }

            if (await store.GetDocumentAsync(source, cancellationToken) is { } article)
            {
                return new KnowledgeSnippet(source, article.Title, source, string.Empty, 1);
            }
        }

        return null;
    }

    /// <summary>The best article for <paramref name="text"/> not yet taken; with <paramref name="namesCategory"/>, only one written for <paramref name="category"/> itself (not for every category).</summary>
    private async Task<KnowledgeSnippet?> BestAsync(string text, string? role, string? category, List<KnowledgeSnippet> taken, CancellationToken cancellationToken, bool namesCategory = false)
    {
        var result = await store.SearchAsync(new KnowledgeQuery(text) { Role = role, Category = category, Top = namesCategory ? 15 : 5 }, cancellationToken);
        return result.Hits.Where(h => !namesCategory || h.Categories.Contains(category!, StringComparer.Ordinal))
            .Select(h => h.Snippet).FirstOrDefault(s =>
                !s.Source.StartsWith(BuiltInKnowledge.RubricPrefix, StringComparison.Ordinal) &&
                taken.TrueForAll(t => t.Source != s.Source));
    }

    /// <summary>What fixing a dimension is about, in the words coaching articles use for it.</summary>
    internal static string DimensionQuery(string dimension, string category) => dimension switch
    {
        Dimensions.Relevance => "answer the question that was asked and cover its key points",
        Dimensions.Structure => category switch
        {
            Categories.Situational => "structure a hypothetical what would you do answer: clarify, plan the steps, measure success",
            Categories.Technical => "structure a technical explanation: direct answer, approach, example, trade-offs",
            Categories.Motivation => "motivation answer: a clear reason, evidence from your experience, link to this role",
            _ => "STAR structure: situation, task, action, result",
        },
        Dimensions.Specificity => "quantify the result with numbers and concrete details",
        Dimensions.Ownership => "say I instead of we and make your own part clear",
        Dimensions.Length => "answer length: two minutes, cut background, not too short or too long",
        _ => "hedging and filler words: speak with confident, direct wording",
    };
}
