using System.Text.Json;
using System.Text.Json.Nodes;
using CoachBot.Cards.Adaptive;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Bot.Tests.Cards;

public sealed class AdaptiveCardsTests(ITestOutputHelper output)
{
    private static readonly CardOptions WithRecorder = new(CanRecord: true);

    [Fact]
    public void EveryCard_ParsedByTheOfficialAdaptiveCardsObjectModel_HasNoWarnings()
    {
        using var folder = new TempFolder();
        var files = new List<string>();
        foreach (var (name, reply) in ReplySamples.All())
        {
            foreach (var options in new[] { WithRecorder, new CardOptions(CanRecord: false) })
            {
                files.Add(Write(folder, $"{name}-{(options.CanRecord ? "rec" : "norec")}.json", AdaptiveCards.ForReply(reply, options)));
            }
        }

        var round = ReplySamples.All()["group-round"].Group!;
        files.Add(Write(folder, "group-round-chat-public.json", AdaptiveCards.GroupRound(round, new GroupCardContext(ReplySamples.Hostile, InThread: false, PublicFeedback: true), WithRecorder)));
        files.Add(Write(folder, "group-summary-names.json", AdaptiveCards.GroupSummary(ReplySamples.All()["group-summary"].Group!, new Dictionary<string, string> { ["29:a"] = ReplySamples.Hostile, ["29:b"] = "Bo" })));
        files.Add(Write(folder, "group-consent.json", AdaptiveCards.GroupConsent("https://teams.microsoft.com/l/chat/0/0?users=28%3Abot")));
        files.Add(Write(folder, "welcome-rec.json", AdaptiveCards.Welcome(WithRecorder)));
        files.Add(Write(folder, "welcome-norec.json", AdaptiveCards.Welcome(new CardOptions(CanRecord: false))));
        // Article pointers as links: absolute (Teams with a public base URL) and relative (the dev chat).
        foreach (var sample in new[] { "report-voice-rough", "report-worst" })
        {
            files.Add(Write(folder, $"{sample}-teams-links.json", AdaptiveCards.ForReply(ReplySamples.All()[sample], new CardOptions(CanRecord: true, ArticleBaseUrl: "https://coachbot.example.com"))));
            files.Add(Write(folder, $"{sample}-devchat-links.json", AdaptiveCards.ForReply(ReplySamples.All()[sample], CoachBot.Bot.DevChat.DevChatReplier.Options)));
        }

        var results = JsonNode.Parse(TestData.Capture("node", [Path.Combine(TestData.JsTools, "check-adaptive-cards.cjs"), .. files]))!.AsObject();

        Assert.Equal(files.Count, results.Count);
        foreach (var (file, result) in results)
        {
            var events = result!["events"]!.AsArray();
            output.WriteLine($"{file}: {result["body"]} body elements, {result["actions"]} actions, {events.Count} parse events");
            Assert.True(events.Count == 0, $"{file}: {events.ToJsonString()}");
            Assert.True(result["body"]!.GetValue<int>() > 0, file);
        }
    }

    [Fact]
    public void ParseCheck_CardWithAnUnknownElement_IsReported()
    {
        // The check itself must be able to fail.
        using var folder = new TempFolder();
        var card = AdaptiveCards.ForReply(ReplySamples.All()["text"], WithRecorder);
        card["body"]!.AsArray().Add(new JsonObject { ["type"] = "Carousel3D" });
        var file = Write(folder, "broken.json", card);

        var results = JsonNode.Parse(TestData.Capture("node", Path.Combine(TestData.JsTools, "check-adaptive-cards.cjs"), file))!;

        Assert.NotEmpty(results["broken.json"]!["events"]!.AsArray());
    }

    [Fact]
    public void ReportCard_OffersNextTryAgainHintAndRecord_WithTheRightQuestions()
    {
        var report = ReplySamples.TextReport();
        var card = AdaptiveCards.ForReply(new TurnReply { Kind = TurnReplyKind.Report, Text = "x", Report = report }, WithRecorder);

        var actions = card["actions"]!.AsArray().Select(a => a!.AsObject()).ToList();

        Assert.Equal(["Next question", "Try again", "Hint", "Record my answer"], actions.Select(a => a["title"]!.GetValue<string>()));
        Assert.Equal(("next", report.Question.Id), Verb(actions[0]));
        Assert.Equal(("retry", report.Question.Id), Verb(actions[1]));
        Assert.Equal(("hint", report.NextQuestion!.Id), Verb(actions[2]));
        Assert.Equal("task/fetch", actions[3]["data"]!["msteams"]!["type"]!.GetValue<string>());
        Assert.Equal(report.NextQuestion.Id, actions[3]["data"]!["questionId"]!.GetValue<string>());

        // Clients without Universal Actions get an Action.Submit that carries the same verb and question.
        var fallback = actions[0]["fallback"]!;
        Assert.Equal("Action.Submit", fallback["type"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(actions[0]["data"], fallback["data"]));
    }

    [Fact]
    public void ReportCard_WithoutRecorder_HasNoRecordButton()
    {
        var card = AdaptiveCards.ForReply(ReplySamples.All()["report-text"], new CardOptions(CanRecord: false));

        Assert.DoesNotContain(card["actions"]!.AsArray(), a => a!["title"]!.GetValue<string>() == "Record my answer");
    }

    [Fact]
    public void VoiceReportCard_ShowsTranscriptDeliveryAndEmotions()
    {
        var json = AdaptiveCards.ForReply(ReplySamples.All()["report-voice"], WithRecorder).ToJsonString();

        Assert.Contains("What I heard", json, StringComparison.Ordinal);
        Assert.Contains("um so last year I uh led our migration", json, StringComparison.Ordinal);
        Assert.Contains("142 words/min", json, StringComparison.Ordinal);
        Assert.Contains("2 (10.7/min): um, uh", json, StringComparison.Ordinal);
        Assert.Contains("Confidence", json, StringComparison.Ordinal);
        Assert.Contains("64/100", json, StringComparison.Ordinal);
        Assert.Contains("ollama (llama3.1:8b)", json, StringComparison.Ordinal);
    }

    [Fact]
    public void TextReportCard_HasNoDeliverySection()
    {
        var json = AdaptiveCards.ForReply(ReplySamples.All()["report-text"], WithRecorder).ToJsonString();

        Assert.DoesNotContain("What I heard", json, StringComparison.Ordinal);
        Assert.DoesNotContain("words/min", json, StringComparison.Ordinal);
    }

    [Fact]
    public void WorstCaseReport_StaysUnderTeamsMessageSize_AndUserTextIsNeverMarkdown()
    {
        var card = AdaptiveCards.ForReply(ReplySamples.All()["report-worst"], WithRecorder);
        var size = JsonSerializer.SerializeToUtf8Bytes(card).Length;
        output.WriteLine($"worst-case card: {size} bytes");

        // Teams rejects bot messages over about 28 KB (card plus activity envelope); measured with the default
        // escaping, which writes every < > & of the hostile text as six bytes.
        Assert.True(size < 26_000, $"{size} bytes");
        foreach (var block in Descendants(card).Where(n => n["type"]?.GetValue<string>() is "TextBlock" or "Fact"))
        {
            Assert.DoesNotContain("[click me]", block.ToJsonString(), StringComparison.Ordinal);
        }

        Assert.Contains(Descendants(card), n => n["type"]?.GetValue<string>() == "TextRun" && n["text"]!.GetValue<string>().Contains("[click me]", StringComparison.Ordinal));
    }

    [Fact]
    public void ScoreTable_HasAFactSetFallbackForOlderClients()
    {
        var card = AdaptiveCards.ForReply(ReplySamples.All()["report-text"], WithRecorder);

        var table = Descendants(card).Single(n => n["type"]?.GetValue<string>() == "Table");

        Assert.Equal("FactSet", table["fallback"]!["type"]!.GetValue<string>());
        Assert.Equal(3, table["fallback"]!["facts"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("group-summary-worst")]
    [InlineData("group-round-worst")]
    public void WorstCaseGroupCards_StayUnderTeamsMessageSize_AndUserTextIsNeverMarkdown(string sample)
    {
        var names = Enumerable.Range(0, 200).ToDictionary(i => $"29:m{i}", _ => ReplySamples.Hostile);
        var reply = ReplySamples.All()[sample];
        var card = sample.StartsWith("group-summary", StringComparison.Ordinal)
            ? AdaptiveCards.GroupSummary(reply.Group!, names)
            : AdaptiveCards.GroupRound(reply.Group!, new GroupCardContext(ReplySamples.Hostile), WithRecorder);

        var size = JsonSerializer.SerializeToUtf8Bytes(card).Length;

        Assert.True(size < 26_000, $"{size} bytes");
        foreach (var block in Descendants(card).Where(n => n["type"]?.GetValue<string>() is "TextBlock" or "Fact"))
        {
            Assert.DoesNotContain("[click me]", block.ToJsonString(), StringComparison.Ordinal);
        }

        Assert.Contains(Descendants(card), n => n["type"]?.GetValue<string>() == "TextRun" && n["text"]!.GetValue<string>().Contains("[click me]", StringComparison.Ordinal));
    }

    [Fact]
    public void GroupSummary_ShowsTheAveragesAsGiven_AndNamesOnlyMembersWhoShared()
    {
        var group = ReplySamples.All()["group-summary"].Group!;
        var card = AdaptiveCards.GroupSummary(group, new Dictionary<string, string> { ["29:a"] = "Ada", ["29:b"] = "Bo" });
        var facts = Descendants(card).Where(n => n["title"] is not null && n["value"] is not null)
            .ToDictionary(n => n["title"]!.GetValue<string>(), n => n["value"]!.GetValue<string>());
        var json = string.Join("|", Descendants(card).Where(n => n["type"]?.GetValue<string>() == "TextRun").Select(n => n["text"]!.GetValue<string>()));

        Assert.Equal("68.7", facts["Average overall"]);
        Assert.Equal("80.3", facts["Relevance"]);
        Assert.Equal("61.0", facts["Structure"]);
        Assert.Equal("55.5 (1 of 3 answers)", facts["Delivery"]);
        Assert.Contains(" — Ada", json, StringComparison.Ordinal);
        Assert.DoesNotContain(" — Bo", json, StringComparison.Ordinal);
        Assert.Contains("we shipped on time", json, StringComparison.Ordinal);
    }

    [Fact]
    public void PublicRoundReport_HasNoButtons_PrivateOneKeepsThem()
    {
        var shown = ReplySamples.All()["group-report-public"];

        Assert.Null(AdaptiveCards.ForReply(shown, WithRecorder)["actions"]);
        Assert.NotNull(AdaptiveCards.ForReply(shown with { Group = shown.Group! with { PublicFeedback = false } }, WithRecorder)["actions"]);
    }

    [Fact]
    public void Confirm_OffersTheDeleteVerb()
    {
        var card = AdaptiveCards.ForReply(ReplySamples.All()["confirm"], WithRecorder);

        Assert.Equal(("forget me confirm", null), Verb(card["actions"]![0]!.AsObject()));
    }

    private static (string Verb, string? QuestionId) Verb(JsonObject action) =>
        (action["verb"]!.GetValue<string>(), action["data"]!["questionId"]?.GetValue<string>());

    private static IEnumerable<JsonObject> Descendants(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                yield return obj;
                foreach (var (_, child) in obj)
                {
                    if (child is not null)
                    {
                        foreach (var d in Descendants(child))
                        {
                            yield return d;
                        }
                    }
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    if (child is not null)
                    {
                        foreach (var d in Descendants(child))
                        {
                            yield return d;
                        }
                    }
                }

                break;
        }
    }

    private static string Write(TempFolder folder, string name, JsonObject card)
    {
        var path = folder.File(name);
        File.WriteAllText(path, card.ToJsonString());
        return path;
    }
}
