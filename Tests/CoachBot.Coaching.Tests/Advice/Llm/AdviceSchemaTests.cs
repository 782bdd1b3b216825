using System.Text.Json;
using CoachBot.Coaching.Advice.Llm;

namespace CoachBot.Coaching.Tests.Advice.Llm;

public class AdviceSchemaTests
{
    [Fact]
    public void Json_EveryObject_RequiresAllItsPropertiesAndAllowsNoOthers()
    {
        var objects = 0;
        Walk(AdviceSchema.Element);

        Assert.Equal(3, objects);

        void Walk(JsonElement node)
        {
            if (node.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            if (node.TryGetProperty("type", out var type) && type.GetString() == "object")
            {
                objects++;
                var properties = node.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
                Assert.Equal(properties, node.GetProperty("required").EnumerateArray().Select(r => r.GetString()!).Order(StringComparer.Ordinal));
                Assert.False(node.GetProperty("additionalProperties").GetBoolean());
            }

            foreach (var child in node.EnumerateObject())
            {
                Walk(child.Value);
            }
        }
    }

    [Fact]
    public void Parse_JsonInsideACodeFence_IsRead()
    {
        var advice = AdviceSchema.Parse("```json\n" + AdviceJson.Good() + "\n```");

        Assert.Equal(2, advice.Strengths.Count);
        Assert.Equal(60, advice.Scores["clarity"]);
    }

    [Theory]
    [InlineData("""{"strengths":[],"improvements":[],"missedPoints":[],"improvedExample":"","scores":{}}""", "scores.relevance")]
    [InlineData("""{"strengths":["a"],"improvements":[{"title":"t"}],"missedPoints":[],"improvedExample":"","scores":{}}""", "improvements[].evidence")]
    [InlineData("""[1, 2]""", "not a JSON object")]
    [InlineData("", "empty")]
    public void Parse_ReplyNotMatchingTheSchema_SaysWhatIsWrong(string reply, string problem)
    {
        var ex = Assert.Throws<LlmOutputException>(() => AdviceSchema.Parse(reply));

        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ScoreOutOfRange_IsRefused()
    {
        var reply = AdviceJson.Good(score: 250);

        Assert.Throws<LlmOutputException>(() => AdviceSchema.Parse(reply));
    }
}
