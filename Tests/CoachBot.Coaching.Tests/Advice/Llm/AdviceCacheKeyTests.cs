using CoachBot.Coaching.Advice;
using CoachBot.Coaching.Advice.Llm;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Scoring;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Coaching.Tests.Advice.Llm;

public class AdviceCacheKeyTests
{
    private static readonly DeliveryReport Steady = new(60, 55, 150, 150, 160, 5, 0, new FillerReport(1, 1, 0.01, ["um"]), 0, 0,
        new PitchReport(180, 3), new EnergyReport(-22, 6), []);

    [Fact]
    public void Key_SameWordsSpokenAtAnotherPace_IsADifferentRequest()
    {
        var question = Bank.Conflict();
        var content = Scorers.Default.Score(question, "I disagreed and ran a benchmark, and we shipped two weeks early.");
        var calm = new AdviceRequest(question, content) { Delivery = Steady };
        var rushed = new AdviceRequest(question, content) { Delivery = Steady with { WordsPerMinute = 210, Flags = ["too fast"] } };

        Assert.Equal(AdviceCache.Key("ollama", "m", calm), AdviceCache.Key("ollama", "m", calm with { }));
        Assert.NotEqual(AdviceCache.Key("ollama", "m", calm), AdviceCache.Key("ollama", "m", rushed));
        Assert.NotEqual(AdviceCache.Key("ollama", "m", calm), AdviceCache.Key("ollama", "m", calm with { Delivery = null }));
    }
}
