using CoachBot.Coaching.Tests.Support;
using CoachBot.Tools.Evaluation;

namespace CoachBot.Tools.Tests.Evaluation;

/// <summary><c>coachbot-tools eval types</c>: the labelled set of typed questions loads, is read, and a bad file is refused saying why.</summary>
public sealed class TypeEvaluationTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Load_TheShippedSet_HasAQuestionOfEveryTypeForEveryRole()
    {
        var set = TypeEvaluation.Load("typed");

        Assert.Equal(100, set.Count);
        Assert.Equal(7, set.Select(q => q.Type).Distinct().Count());
        Assert.Equal(9, set.Select(q => q.Role).Distinct().Count());
    }

    [Fact]
    public async Task Run_ASmallSet_PrintsTheShareReadAsLabelledAndWhereTheRestWent()
    {
        var path = _folder.File("typed.jsonl");
        await File.WriteAllLinesAsync(path,
        [
            """{"id":"a","role":"designer","question":"What is your greatest strength?","type":"strengths-weaknesses"}""",
            """{"id":"b","role":"general","question":"Tell me about a time you failed.","type":"story"}""",
            """{"id":"c","role":"general","question":"Design a URL shortener.","type":"technical"}""",
        ]);

        var printed = await TypeEvaluation.RunAsync(TypeEvaluation.Load(path), "mine", CancellationToken.None);

        Assert.Contains("type read as labelled              0.667  (2 of 3)", printed, StringComparison.Ordinal);
        Assert.Contains("technical read as design: 1", printed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_RecordWithAnUnknownType_IsRefusedNamingTheLine()
    {
        var path = _folder.File("bad.jsonl");
        await File.WriteAllLinesAsync(path, ["""{"id":"a","role":"general","question":"Why us?","type":"vibes"}"""]);

        var refused = Assert.Throws<InvalidDataException>(() => TypeEvaluation.Load(path));

        Assert.Contains("bad.jsonl:1", refused.Message, StringComparison.Ordinal);
    }
}
