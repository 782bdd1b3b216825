using System.Text.Json.Nodes;
using CoachBot.Adapters.Slack.Rendering;
using CoachBot.Adapters.Teams;
using CoachBot.Bot.Cli;
using CoachBot.Bot.DevChat;
using CoachBot.Bot.Tests.Support;
using CoachBot.Cards;
using CoachBot.Cards.Adaptive;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Reports;
using Microsoft.Extensions.DependencyInjection;

namespace CoachBot.Bot.Tests.Cards;

/// <summary>
/// One report, every channel's renderer: Slack (Block Kit), Teams and the dev chat (Adaptive Cards) and the command line.
/// What each shows comes from one <see cref="ReportView"/>, so each rule is checked on all four.
/// </summary>
public sealed class ReportOnEveryChannelTests
{
    private const string PublicBase = "https://coachbot.example.com";

    private static readonly CardOptions Teams = new(CanRecord: true, ArticleBaseUrl: PublicBase);
    private static readonly CardOptions TeamsWithoutPublicUrl = new(CanRecord: false);

    /// <summary>The text a reader sees on each channel, in reading order, one string per element.</summary>
    private static Dictionary<string, List<string>> Rendered(CoachingReport report)
    {
        var reply = new TurnReply { Kind = TurnReplyKind.Report, Text = "Overall " + report.Overall, Report = report };
        return new Dictionary<string, List<string>>
        {
            ["slack"] = SlackTexts(BlockKitRenderer.Render(report).Blocks),
            ["teams"] = CardTexts(AdaptiveCards.ForReply(reply, Teams)),
            ["devchat"] = CardTexts(AdaptiveCards.ForReply(reply, DevChatReplier.Options)),
            ["cli"] = [.. ReportPrinter.Format(report).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
        };
    }

    [Fact]
    public void UnreliablePocketSphinxTranscript_IsNeverQuotedAsWhatTheUserSaid_OnAnyChannel()
    {
        var report = ReplySamples.RoughVoiceReport();

        foreach (var (channel, texts) in Rendered(report))
        {
            var all = string.Join('\n', texts);
            Assert.False(all.Contains("You said", StringComparison.Ordinal), $"{channel}: {all}");
            Assert.False(all.Contains("What I heard", StringComparison.Ordinal), $"{channel}: {all}");
            // The transcript appears only plainly, under the rough-transcript heading, never in quotation marks or as a quote.
            Assert.False(all.Contains("“at our micro art", StringComparison.Ordinal) || all.Contains(">at our micro art", StringComparison.Ordinal), $"{channel}: {all}");
            Assert.True(all.Contains("Rough transcript (may be wrong)", StringComparison.Ordinal), $"{channel}: {all}");
            Assert.True(all.Contains("Transcribed by PocketSphinx · confidence 41%", StringComparison.Ordinal), $"{channel}: {all}");
            // The advice names what an administrator sets (the engines are listed by default; they lack a model or a server).
            Assert.True(all.Contains("type your answer", StringComparison.Ordinal) && all.Contains("Speech:Whisper:ModelPath", StringComparison.Ordinal)
                && all.Contains("Speech:WhisperApi:BaseUrl", StringComparison.Ordinal), $"{channel}: {all}");
            Assert.False(all.Contains("Speech:Engines", StringComparison.Ordinal) || all.Contains("Voice section", StringComparison.Ordinal), $"{channel}: {all}");
        }
    }

    [Fact]
    public void ReliableTranscript_IsQuotedAsHeard_AndNamesTheEngine_OnEveryChannel()
    {
        var report = ReplySamples.ReliableVoiceReport();

        foreach (var (channel, texts) in Rendered(report))
        {
            var all = string.Join('\n', texts);
            Assert.True(all.Contains("What I heard", StringComparison.Ordinal), $"{channel}: {all}");
            Assert.True(all.Contains("“um so last year I uh led our migration", StringComparison.Ordinal) || all.Contains(">um so last year I uh led our migration", StringComparison.Ordinal), $"{channel}: {all}");
            Assert.True(all.Contains("You said", StringComparison.Ordinal), $"{channel}: {all}");
            Assert.True(all.Contains("Transcribed by Whisper (whisper.cpp) · confidence 93%", StringComparison.Ordinal), $"{channel}: {all}");
            Assert.False(all.Contains("Speech:Whisper:ModelPath", StringComparison.Ordinal), $"{channel}: {all}");
        }
    }

    [Fact]
    public void Headline_IsTheFirstLine_OnEveryChannel()
    {
        var report = ReplySamples.RoughVoiceReport() with { Headline = new ReportHeadline("off_topic", "This answer doesn't address the question: it is about a hike, not about why this company.") };

        foreach (var (channel, texts) in Rendered(report))
        {
            Assert.True(texts[0].Contains("This answer doesn't address the question", StringComparison.Ordinal), $"{channel}: {texts[0]}");
        }
    }

    [Fact]
    public void ContentUncertain_MarksContentScoresOnly_OnEveryChannel()
    {
        var report = ReplySamples.RoughVoiceReport();

        foreach (var (channel, texts) in Rendered(report))
        {
            var all = string.Join('\n', texts);
            Assert.True(all.Contains("~85", StringComparison.Ordinal) && all.Contains("~60", StringComparison.Ordinal), $"{channel}: {all}");
            Assert.False(all.Contains("~58", StringComparison.Ordinal), $"{channel}: delivery is marked: {all}");
            Assert.True(all.Contains("58", StringComparison.Ordinal), $"{channel}: {all}");
            Assert.True(all.Contains(ReportView.UncertainNote, StringComparison.Ordinal), $"{channel}: {all}");
        }

        foreach (var (channel, texts) in Rendered(ReplySamples.ReliableVoiceReport()))
        {
            Assert.DoesNotContain(texts, t => t.Contains("~85", StringComparison.Ordinal) || t.Contains("(uncertain)", StringComparison.Ordinal));
            Assert.True(texts.Count > 0, channel);
        }
    }

    [Fact]
    public void ImprovedExampleGapsAndQuestionType_AreShown_OnEveryChannel()
    {
        var report = ReplySamples.RoughVoiceReport();

        foreach (var (channel, texts) in Rendered(report))
        {
            var all = string.Join('\n', texts);
            Assert.True(all.Contains("[the result, with a number]", StringComparison.Ordinal), $"{channel}: {all}");
            Assert.True(all.Contains("Judged as: story", StringComparison.Ordinal), $"{channel}: {all}");
            Assert.True(all.Contains("A stronger version", StringComparison.Ordinal), $"{channel}: {all}");
        }
    }

    [Fact]
    public void ArticlePointer_OnTeams_LinksToThePublicPageOnlyWithAPublicBaseUrl()
    {
        var reply = new TurnReply { Kind = TurnReplyKind.Report, Text = "x", Report = ReplySamples.RoughVoiceReport() };

        var linked = OpenUrls(AdaptiveCards.ForReply(reply, Teams));
        var unlinked = AdaptiveCards.ForReply(reply, TeamsWithoutPublicUrl);

        var link = Assert.Single(linked, a => a["url"]!.GetValue<string>().Contains("star-method", StringComparison.Ordinal));
        Assert.Equal(PublicBase + "/knowledge/builtin%3Astar-method-basics", link["url"]!.GetValue<string>());
        Assert.Equal("Read: Use STAR as a skeleton, not a script", link["title"]!.GetValue<string>());
        Assert.Empty(OpenUrls(unlinked));
        Assert.Contains("More in: Use STAR as a skeleton, not a script", CardTexts(unlinked));
    }

    [Fact]
    public void ArticlePointer_InTheDevChat_LinksRelativeToTheHost()
    {
        var reply = new TurnReply { Kind = TurnReplyKind.Report, Text = "x", Report = ReplySamples.RoughVoiceReport() };

        var urls = OpenUrls(AdaptiveCards.ForReply(reply, DevChatReplier.Options)).Select(a => a["url"]!.GetValue<string>()).ToList();

        Assert.Equal(["/knowledge/builtin%3Astar-method-basics", "/knowledge/pace.md"], urls);
    }

    [Fact]
    public void ArticlePointer_InSlack_IsAReadButtonCarryingTheArticleId()
    {
        var blocks = BlockKitRenderer.Render(ReplySamples.RoughVoiceReport()).Blocks;

        var buttons = blocks.Select(b => b!["accessory"]).OfType<JsonObject>().Where(a => a["action_id"]!.GetValue<string>() == BlockKitRenderer.ActionArticle).ToList();

        Assert.Equal(["builtin:star-method-basics", "pace.md"], buttons.Select(b => b["value"]!.GetValue<string>()));
        Assert.Equal("Read: Use STAR as a skeleton, not a script", buttons[0]["text"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void ArticlePointer_OnTheCommandLine_NamesTheShowCommand()
    {
        var text = ReportPrinter.Format(ReplySamples.RoughVoiceReport());

        Assert.Contains("More in: Use STAR as a skeleton, not a script (coachbot knowledge show builtin:star-method-basics)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TeamsReplier_OffersArticleLinksOnlyWithPublicBaseUrl()
    {
        // The renderer's rule above is only as good as the options the Teams replier gives it.
        Assert.Null(OptionsFor(null).ArticleBaseUrl);
        Assert.Equal(PublicBase, OptionsFor(PublicBase).ArticleBaseUrl);
    }

    private static CardOptions OptionsFor(string? publicBaseUrl)
    {
        using var folder = new TempFolder();
        using var factory = new CoachBotFactory(folder.File("teams.db")).WithSetting("Teams:PublicBaseUrl", publicBaseUrl);
        var replier = (TeamsReplier)factory.Services.GetServices<ITurnReplier>().Single(r => r.Channel == TeamsChannel.Name);
        return replier.CardOptions;
    }

    private static List<JsonObject> OpenUrls(JsonObject card) =>
        [.. Descendants(card).Where(n => n["type"]?.GetValue<string>() == "Action.OpenUrl")];

    internal static List<string> CardTexts(JsonObject card)
    {
        var texts = new List<string>();
        foreach (var node in Descendants(card))
        {
            switch (node["type"]?.GetValue<string>())
            {
                case "TextBlock":
                    texts.Add(node["text"]!.GetValue<string>());
                    break;
                case "RichTextBlock":
                    texts.Add(string.Concat(node["inlines"]!.AsArray().Select(r => r!["text"]!.GetValue<string>())));
                    break;
                case "Table":
                    texts.AddRange(Descendants(node["rows"]!.AsObjectWrapper()).Where(n => n["type"]?.GetValue<string>() == "TextBlock").Select(n => n["text"]!.GetValue<string>()));
                    break;
                case "FactSet":
                    texts.AddRange(node["facts"]!.AsArray().Select(f => $"{f!["title"]}: {f["value"]}"));
                    break;
                case "Action.OpenUrl" or "Action.Execute" or "Action.Submit":
                    texts.Add(node["title"]!.GetValue<string>());
                    break;
            }
        }

        return texts;
    }

    /// <summary>Depth-first, in document order; a Table's rows and a Table's fallback are read once, through the Table.</summary>
    private static IEnumerable<JsonObject> Descendants(JsonObject node)
    {
        yield return node;
        if (node["type"]?.GetValue<string>() is "Table" or "RichTextBlock")
        {
            yield break;
        }

        foreach (var (key, child) in node)
        {
            if (key == "fallback")
            {
                continue;
            }

            foreach (var item in child is JsonArray array ? array.OfType<JsonObject>() : child is JsonObject o ? [o] : [])
            {
                foreach (var descendant in Descendants(item))
                {
                    yield return descendant;
                }
            }
        }
    }

    internal static List<string> SlackTexts(JsonArray blocks)
    {
        var texts = new List<string>();
        foreach (var block in blocks.OfType<JsonObject>())
        {
            if (block["text"]?["text"] is { } text)
            {
                texts.Add(Mrkdwn.Unescape(text.GetValue<string>()));
            }

            foreach (var part in (block["fields"] ?? block["elements"])?.AsArray().OfType<JsonObject>() ?? [])
            {
                texts.Add(Mrkdwn.Unescape((part["text"] is JsonObject t ? t["text"] : part["text"])!.GetValue<string>()));
            }

            if (block["accessory"]?["text"]?["text"] is { } button)
            {
                texts.Add(button.GetValue<string>());
            }
        }

        return texts;
    }
}

internal static class JsonArrayExtensions
{
    /// <summary>Wraps an array so the descent above can walk it like an element's children.</summary>
    public static JsonObject AsObjectWrapper(this JsonNode node) => new() { ["items"] = node.DeepClone() };
}
