using CoachBot.Coaching.Tests.Support;
using System.Text.Json.Nodes;
using CoachBot.Adapters.Slack.Rendering;
using CoachBot.Adapters.Slack.Tests.Support;
using CoachBot.Cards;
using CoachBot.Coaching.Groups;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Sessions;

namespace CoachBot.Adapters.Slack.Tests.Rendering;

public sealed class BlockKitRendererTests
{
    [Fact]
    public void Render_WorstCaseReport_StaysWithinSlackLimits()
    {
        foreach (var report in new[] { Reports.WorstCase(), Reports.WorstCase(escapes: true), Reports.Typical(voice: true) })
        {
            var message = BlockKitRenderer.Render(report);
            AssertWithinLimits(message);
        }
    }

    [Fact]
    public void RenderArticle_LongArticle_StaysWithinSlackLimitsAndKeepsItsBeginning()
    {
        var (title, text) = Reports.LongArticle();

        var message = BlockKitRenderer.RenderArticle(title, text);

        AssertWithinLimits(message);
        var json = message.ToJson();
        Assert.Contains("*Part 0 &lt;b&gt;*", json, StringComparison.Ordinal);
        Assert.Contains("Paragraph 1 says &lt;!channel&gt; &amp;", json, StringComparison.Ordinal);
        Assert.Contains("[the result, with a number]", json, StringComparison.Ordinal);
        Assert.DoesNotContain("<!channel>", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WorstCaseReport_RoughTranscriptIsNotQuoted()
    {
        var json = BlockKitRenderer.Render(Reports.WorstCase(escapes: true)).ToJson();

        Assert.Contains("*Rough transcript (may be wrong)*", json, StringComparison.Ordinal);
        Assert.DoesNotContain("What I heard", json, StringComparison.Ordinal);
        Assert.DoesNotContain("You said", json, StringComparison.Ordinal);
        Assert.Contains("Speech:Whisper:ModelPath", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WorstCaseReport_KeepsScoresNextQuestionAndButtons()
    {
        var blocks = BlockKitRenderer.Render(Reports.WorstCase()).Blocks;

        // The headline comes first, then the header.
        Assert.StartsWith(":warning: *", blocks[0]!["text"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("header", blocks[1]!["type"]!.GetValue<string>());
        Assert.Contains(blocks, b => b!["fields"] is not null);
        Assert.Contains(blocks, b => b!["text"]?["text"]?.GetValue<string>().StartsWith("*Next question:*", StringComparison.Ordinal) == true);
        var actions = Assert.Single(blocks, b => b!["type"]!.GetValue<string>() == "actions");
        Assert.Equal(["coach_next", "coach_retry", "coach_hint"], actions!["elements"]!.AsArray().Select(e => e!["action_id"]!.GetValue<string>()));
    }

    [Fact]
    public void Render_TypicalReport_ShowsEachScoreWithItsReason()
    {
        var blocks = BlockKitRenderer.Render(Reports.Typical(voice: false)).Blocks;

        var fields = blocks.Where(b => b!["fields"] is not null).SelectMany(b => b!["fields"]!.AsArray()).Select(f => f!["text"]!.GetValue<string>()).ToList();
        Assert.Contains("*Relevance*\n80 · strong\nOn topic.", fields);
        Assert.Contains("*Structure*\n55 · fair\nMissing result.", fields);
    }

    [Fact]
    public void Render_LongReason_IsClippedInItsField()
    {
        var reason = string.Concat(Enumerable.Repeat("The answer names the situation but not what came of it. ", 10));
        var report = Reports.Typical(voice: false) with { Scores = [new DimensionScore("structure", 55, "fair", reason, [])] };

        var field = BlockKitRenderer.Render(report).Blocks.Where(b => b!["fields"] is not null).SelectMany(b => b!["fields"]!.AsArray()).Single()!["text"]!.GetValue<string>();

        Assert.StartsWith("*Structure*\n55 · fair\nThe answer names the situation", field, StringComparison.Ordinal);
        Assert.InRange(field.Length, 40, 60 + 80 + ReportView.ReasonChars);
    }

    [Fact]
    public void Render_TranscriptWithBroadcastMention_IsEscaped()
    {
        var report = Reports.Typical(voice: true) with
        {
            Answer = new ReportAnswer("hey <!channel> look at <@U999> & <https://evil.example|this>", "voice", 12),
            Improvements = [new Improvement("<!here> title", "<!everyone> quote", "suggest <b>")],
        };

        var json = BlockKitRenderer.Render(report).ToJson();

        Assert.DoesNotContain("<!channel>", json, StringComparison.Ordinal);
        Assert.DoesNotContain("<!here>", json, StringComparison.Ordinal);
        Assert.DoesNotContain("<!everyone>", json, StringComparison.Ordinal);
        Assert.DoesNotContain("<@U999>", json, StringComparison.Ordinal);
        Assert.Contains("&lt;!channel&gt;", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_VoiceReport_ShowsTranscriptDeliveryAndTone()
    {
        var json = BlockKitRenderer.Render(Reports.Typical(voice: true)).ToJson();

        Assert.Contains("*What I heard*", json, StringComparison.Ordinal);
        Assert.Contains("142 words/min", json, StringComparison.Ordinal);
        Assert.Contains("3 fillers", json, StringComparison.Ordinal);
        Assert.Contains("confidence 71", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TextReport_HasNoDeliveryContext()
    {
        var json = BlockKitRenderer.Render(Reports.Typical(voice: false)).ToJson();

        Assert.DoesNotContain("words/min", json, StringComparison.Ordinal);
        Assert.DoesNotContain("What I heard", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EveryReplyKind_StaysWithinLimits()
    {
        foreach (var reply in Reports.AllReplyKinds())
        {
            AssertWithinLimits(BlockKitRenderer.Render(reply));
        }
    }

    [Fact]
    public void RenderReminder_ManyMembersAndAcknowledgement_StayWithinLimits()
    {
        var reply = Reports.AllReplyKinds().First(r => r.Kind == TurnReplyKind.GroupReminder);

        AssertWithinLimits(BlockKitRenderer.RenderReminder(reply, [.. Enumerable.Range(0, 2_000).Select(i => $"U{i:D8}")]));
        AssertWithinLimits(BlockKitRenderer.RenderReminder(reply, []));
        AssertWithinLimits(BlockKitRenderer.RenderAcknowledgement(4));
    }

    [Fact]
    public void RenderReminder_PendingMembers_AreMentionedAndNoOneElse()
    {
        var reply = Reports.AllReplyKinds().First(r => r.Kind == TurnReplyKind.GroupReminder);

        var json = BlockKitRenderer.RenderReminder(reply, ["UAAA0001", "UBBB0002"]).ToJson();

        Assert.Contains("<@UAAA0001> <@UBBB0002>", json, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(json, "<@UAAA0001>"));
        Assert.DoesNotContain("<@UFAC0001>", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Summary_EscapesMembersTextAndMentionsParticipants()
    {
        var summary = new GroupSummary(
            ["UAAA0001", "UBBB0002"], 3, [new ReportNextQuestion("q", "Why us?")], 64.7,
            [new GroupAverage("relevance", 70.3, 3), new GroupAverage("pace", 58, 1)],
            [new GroupTheme("Concrete numbers", 2, "we cut <!channel> costs & time")],
            [new GroupTheme("Say what you did", 2, "<@U999> did it")],
            [new GroupHighlight("UAAA0001", "I shipped it <!here>", 81), new GroupHighlight(null, "Anonymous line", 75)]);
        var reply = new TurnReply { Kind = TurnReplyKind.GroupSummary, Text = "summary", Group = Reports.Round(new ReportNextQuestion("q", "Why us?")) with { Summary = summary } };

        var json = BlockKitRenderer.Render(reply).ToJson();

        Assert.Contains("*Average overall*\\n64.7/100", json, StringComparison.Ordinal);
        Assert.Contains("*Relevance*\\n70.3", json, StringComparison.Ordinal);
        Assert.Contains("*Pace*\\n58.0", json, StringComparison.Ordinal);
        Assert.Contains("<@UAAA0001> <@UBBB0002>", json, StringComparison.Ordinal);
        Assert.Contains("— a member (75/100)", json, StringComparison.Ordinal);
        Assert.DoesNotContain("<!channel>", json, StringComparison.Ordinal);
        Assert.DoesNotContain("<!here>", json, StringComparison.Ordinal);
        Assert.DoesNotContain("<@U999>", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ErrorNamingTheFacilitator_KeepsTheMentionButNotBroadcasts()
    {
        var json = BlockKitRenderer.Render(TurnReply.Failure("not_facilitator", "Only the facilitator (<@UFAC0001>) can say “wrap”, not <!channel>.")).ToJson();

        Assert.Contains("(<@UFAC0001>)", json, StringComparison.Ordinal);
        Assert.Contains("&lt;!channel&gt;", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Question_OffersHintForThatQuestion()
    {
        var message = BlockKitRenderer.Render(new TurnReply { Kind = TurnReplyKind.Question, Text = "Next question:\nWhy us?", Question = new ReportNextQuestion("gen-002", "Why us?") });

        var hint = message.Blocks.Last()!["elements"]!.AsArray().First(e => e!["action_id"]!.GetValue<string>() == "coach_hint");
        Assert.Equal("gen-002", hint!["value"]!.GetValue<string>());
    }

    [Fact]
    public void Blocks_AllRenderedMessages_CompileAgainstSlackTypes()
    {
        // @slack/types (Slack's own TypeScript definitions of Block Kit) checks every block's shape: types, required
        // fields, allowed properties (excess property checks on the literals).
        var reminder = Reports.AllReplyKinds().First(r => r.Kind == TurnReplyKind.GroupReminder);
        var messages = Reports.AllReplyKinds().Select(BlockKitRenderer.Render)
            .Concat([BlockKitRenderer.Render(Reports.WorstCase()), BlockKitRenderer.Render(Reports.WorstCase(escapes: true)), BlockKitRenderer.Render(Reports.Typical(voice: true))])
            .Concat([BlockKitRenderer.RenderArticle(Reports.LongArticle().Title, Reports.LongArticle().Text), BlockKitRenderer.RenderArticle("Pace", "Slow down.")])
            .Concat([BlockKitRenderer.RenderReminder(reminder, ["UAAA0001", "UBBB0002"]), BlockKitRenderer.RenderReminder(reminder, []), BlockKitRenderer.RenderAcknowledgement(3)])
            .Select(m => m.Blocks.ToJsonString());
        var (code, output) = TypeScriptCheck(messages);

        Assert.True(code == 0, output);
    }

    [Fact]
    public void Blocks_ABlockSlackDoesNotKnow_FailsTheTypeScriptCheck()
    {
        var (code, output) = TypeScriptCheck([new JsonArray(new JsonObject { ["type"] = "section", ["txt"] = "wrong" }).ToJsonString()]);

        Assert.NotEqual(0, code);
        Assert.Contains("error TS", output, StringComparison.Ordinal);
    }

    internal static (int Code, string Output) TypeScriptCheck(IEnumerable<string> blockArrays)
    {
        var folder = Directory.CreateTempSubdirectory("coachbot-blockkit-");
        try
        {
            var source = "import type { KnownBlock } from \"@slack/types\";\n"
                + string.Concat(blockArrays.Select((json, i) => $"export const message{i}: KnownBlock[] = {json};\n"));
            File.WriteAllText(Path.Combine(folder.FullName, "messages.ts"), source);
            var types = Path.Combine(TestData.JsTools, "node_modules", "@slack", "types");
            File.WriteAllText(Path.Combine(folder.FullName, "tsconfig.json"), new JsonObject
            {
                ["compilerOptions"] = new JsonObject
                {
                    ["strict"] = true,
                    ["noEmit"] = true,
                    ["target"] = "es2020",
                    ["module"] = "commonjs",
                    ["moduleResolution"] = "node",
                    ["skipLibCheck"] = true,
                    ["types"] = new JsonArray(),
                    ["baseUrl"] = ".",
                    ["paths"] = new JsonObject { ["@slack/types"] = new JsonArray(types) },
                },
                ["files"] = new JsonArray("messages.ts"),
            }.ToJsonString());
            var tsc = Path.Combine(TestData.JsTools, "node_modules", "typescript", "bin", "tsc");
            Assert.True(File.Exists(tsc), "TypeScript is missing: run bash scripts/prerequisites.sh");
            return TestData.Try("node", folder.FullName, tsc, "-p", "tsconfig.json");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    internal static void AssertWithinLimits(SlackMessage message)
    {
        var blocks = message.Blocks;
        Assert.InRange(blocks.Count, 1, BlockKitRenderer.MaxBlocks);
        Assert.True(message.ToJson(indented: false).Length < 12_000, $"message is {message.ToJson(indented: false).Length} characters");
        Assert.InRange(message.Text.Length, 1, 4_000);
        foreach (var block in blocks.Select(b => b!.AsObject()))
        {
            switch (block["type"]!.GetValue<string>())
            {
                case "header":
                    Assert.InRange(block["text"]!["text"]!.GetValue<string>().Length, 1, 150);
                    break;
                case "section":
                    if (block["accessory"] is { } accessory)
                    {
                        Assert.Equal("button", accessory["type"]!.GetValue<string>());
                        Assert.InRange(accessory["text"]!["text"]!.GetValue<string>().Length, 1, 75);
                        Assert.InRange(accessory["value"]!.GetValue<string>().Length, 1, 2_000);
                    }

                    if (block["text"] is { } text)
                    {
                        AssertText(text, 3_000);
                    }

                    if (block["fields"] is { } fields)
                    {
                        Assert.InRange(fields.AsArray().Count, 1, 10);
                        foreach (var field in fields.AsArray())
                        {
                            AssertText(field!, 2_000);
                        }
                    }

                    break;
                case "context":
                    Assert.InRange(block["elements"]!.AsArray().Count, 1, 10);
                    foreach (var element in block["elements"]!.AsArray())
                    {
                        AssertText(element!, 3_000);
                    }

                    break;
                case "actions":
                    Assert.InRange(block["elements"]!.AsArray().Count, 1, 25);
                    foreach (var button in block["elements"]!.AsArray())
                    {
                        Assert.InRange(button!["text"]!["text"]!.GetValue<string>().Length, 1, 75);
                        Assert.InRange(button["action_id"]!.GetValue<string>().Length, 1, 255);
                        Assert.True(button["value"] is null || button["value"]!.GetValue<string>().Length <= 2_000);
                    }

                    break;
            }
        }
    }

    private static void AssertText(JsonNode text, int limit)
    {
        var value = text["text"]!.GetValue<string>();
        Assert.InRange(value.Length, 1, limit);
        // No escape is cut in half: every '&' starts a complete &amp; &lt; or &gt;.
        Assert.DoesNotMatch("&(?!amp;|lt;|gt;)", value);
        Assert.False(value.Length > 0 && char.IsHighSurrogate(value[^1]), "ends in half a character");
    }
}
