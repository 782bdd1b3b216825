using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Scoring;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoachBot.Coaching.Tests.Support;

/// <summary>The content scorer over the built-in bank with the embedded sentence model (one model per test process).</summary>
internal static class Scorers
{
    private static readonly Lazy<ContentScorer> Shared = new(() =>
        new ContentScorer(new AnswerSemantics(Bank.BuiltIn, NullLogger<AnswerSemantics>.Instance)));

    public static ContentScorer Default => Shared.Value;

    /// <summary>Scores synchronously (for test data builders; test methods await <see cref="IContentScorer.ScoreAsync"/>).</summary>
    public static ContentAnalysis Score(this IContentScorer scorer, Question question, string answer) =>
        scorer.ScoreAsync(question, answer, CancellationToken.None).GetAwaiter().GetResult();
}
