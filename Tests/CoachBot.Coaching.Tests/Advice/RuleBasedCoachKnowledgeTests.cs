using CoachBot.Coaching.Knowledge;
using CoachBot.Coaching.Tests.Knowledge;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Scoring;
using CoachBot.Coaching.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoachBot.Coaching.Tests.Advice;

/// <summary>Each improvement points to the article that matches it (retrieved by the improvement and the role).</summary>
public sealed class RuleBasedCoachKnowledgeTests(BuiltInKnowledgeFixture fixture) : IClassFixture<BuiltInKnowledgeFixture>
{
    [Fact]
    public async Task Pointers_EachImprovement_GetsItsOwnMatchingArticle()
    {
        var knowledge = new AdviceKnowledge(fixture.Knowledge.Store, Microsoft.Extensions.Options.Options.Create(fixture.Knowledge.Options), NullLogger<AdviceKnowledge>.Instance);
        Improvement[] improvements =
        [
            new("Say what you did yourself", "We looked at some options together.", "Keep “we” for the team's goal, then say which part was yours.") { Dimension = Dimensions.Ownership },
            new("Finish with the result", "In the end we agreed.", "Say what changed because of you, with a number.") { Dimension = Dimensions.Structure },
            new("Drop the hedges and fillers", "I think we kind of agreed.", "Say this sentence again without the softeners.") { Dimension = Dimensions.Clarity },
        ];

        var pointed = await knowledge.PointersAsync(Bank.Conflict(), improvements, default);

        Assert.Equal(improvements.Select(i => i.Title), pointed.Select(i => i.Title));
        Assert.Equal("builtin:star-we-vs-i", pointed[0].Reference!.Id);
        Assert.Contains(pointed[1].Reference!.Id, new[] { "builtin:star-quantify-result", "builtin:closing-with-result-and-lesson", "builtin:star-result-first-class", "builtin:behavioral-answer-structure", "builtin:star-method-basics" });
        Assert.Contains(pointed[2].Reference!.Id, new[] { "builtin:hedging-language", "builtin:filler-words-drills" });
        Assert.Equal(3, pointed.Select(i => i.Reference!.Id).Distinct().Count());
        Assert.All(pointed, i => Assert.StartsWith("builtin:", i.Reference!.Source, StringComparison.Ordinal));
    }
}
