using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CoachBot.Adapters.Slack.Rendering;
using CoachBot.Adapters.Slack.Tests.Support;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static CoachBot.Adapters.Slack.Tests.Support.SlackPayloads;

namespace CoachBot.Bot.Tests.Mock;

/// <summary>The host end to end on a fake Slack: a résumé file share in the DM, the pasted job, the plan card, a mock interview with a voice clip, the report card.</summary>
public sealed class SlackMockInterviewTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _folder = new();
    private FakeSlack _slack = null!;

    public async Task InitializeAsync() => _slack = await FakeSlack.StartAsync();

    public async Task DisposeAsync() => await _slack.DisposeAsync();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ResumeFileAndJob_PlanCard_StartButton_MockOfFiveWithAVoiceClip_ReportCardIsMeansOfStoredAnswers()
    {
        var processor = new RecordingProcessor[1];
        await using var factory = new CoachBotFactory(_folder.File("slack-mock.db"))
            .WithSetting("Slack:SigningSecret", Secret)
            .WithSetting("Slack:BotToken", "xoxb-test")
            .WithSetting("Slack:ApiBaseUrl", _slack.ApiBaseUrl.ToString())
            .WithSetting("Slack:AdditionalFileHosts:0", "127.0.0.1")
            .WithServices(s => s.AddSingleton<ITurnProcessor>(sp => processor[0] = new RecordingProcessor(ActivatorUtilities.CreateInstance<TurnProcessor>(sp))));
        using var client = factory.CreateClient();

        var resumeUrl = _slack.AddFile("F0100/resume.txt", Encoding.UTF8.GetBytes(MockInterviewEndToEnd.Resume));
        var share = Message(string.Empty, ts: "1700001000.000001", eventId: "Ev-resume", subtype: "file_share", files: new JsonArray(new JsonObject
        {
            ["id"] = "F0100", ["name"] = "resume.txt", ["mimetype"] = "text/plain", ["filetype"] = "text", ["size"] = MockInterviewEndToEnd.Resume.Length,
            ["url_private"] = resumeUrl.ToString(), ["url_private_download"] = resumeUrl.ToString(),
        }));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(SignedEvent(share))).StatusCode);
        var afterResume = await MockInterviewEndToEnd.ReplyAsync(processor[0], $"slack:{Team}:D0001:1700001000.000001");
        Assert.Contains("Résumé read and deleted", afterResume.Text, StringComparison.Ordinal);

        await client.SendAsync(SignedEvent(Message("plan job: " + MockInterviewEndToEnd.Job, ts: "1700001001.000001", eventId: "Ev-job")));
        var plan = await MockInterviewEndToEnd.ReplyAsync(processor[0], $"slack:{Team}:D0001:1700001001.000001");
        Assert.Equal(TurnReplyKind.Plan, plan.Kind);
        var blocks = BlockKitRenderer.Render(plan).Blocks.ToJsonString();
        Assert.Contains(BlockKitRenderer.ActionMockStartPlan, blocks, StringComparison.Ordinal);
        Assert.Contains(BlockKitRenderer.ActionPlanRegenerate, blocks, StringComparison.Ordinal);
        Assert.Contains(BlockKitRenderer.ActionPlanSkip, blocks, StringComparison.Ordinal);

        await client.SendAsync(SignedRequest("/slack/interactions", InteractionForm(ButtonPress(BlockKitRenderer.ActionMockStartPlan, null, actionTs: "1700001002.000001")), "application/x-www-form-urlencoded"));
        var first = await MockInterviewEndToEnd.ReplyAsync(processor[0], k => k.Contains($":{BlockKitRenderer.ActionMockStartPlan}:", StringComparison.Ordinal));

        var clip = _folder.File("audio_message.mp4");
        TestData.Encode(TestData.JfkWav, clip, "-c:a", "aac", "-b:a", "64k", "-f", "mp4");
        var bytes = await File.ReadAllBytesAsync(clip);
        var clipUrl = _slack.AddFile("F0200/audio_message.mp4", bytes);
        var (report, main) = await MockInterviewEndToEnd.RunAsync(first, async (i, _) =>
        {
            var ts = $"17000011{i:D2}.000001";
            await client.SendAsync(SignedEvent(i == 2
                ? VoiceClip(clipUrl, bytes.Length, ts: ts, eventId: $"Ev-answer-{i}")
                : Message(MockInterviewEndToEnd.Answer(i), ts: ts, eventId: $"Ev-answer-{i}")));
            return await MockInterviewEndToEnd.ReplyAsync(processor[0], $"slack:{Team}:D0001:{ts}");
        });

        Assert.Equal(5, main);
        Assert.Equal(5, report.Questions);
        await MockInterviewEndToEnd.AssertCardIsMeansOfStoredAnswersAsync(factory.Services, report);
        var rendered = BlockKitRenderer.Render(new TurnReply { Kind = TurnReplyKind.MockReport, Text = "x", Mock = report }).Blocks.ToJsonString();
        Assert.Contains($"Readiness {report.Readiness}/100", rendered, StringComparison.Ordinal);
        // The card reaches Slack after the worker has the reply: wait for it (generously; nothing is timed).
        for (var i = 0; i < 3000 && !_slack.CallsTo("chat.update").Any(c => c.Body.ToJsonString().Contains("Mock interview report", StringComparison.Ordinal)); i++)
        {
            await Task.Delay(100);
        }

        Assert.Contains(_slack.CallsTo("chat.update"), c => c.Body.ToJsonString().Contains("Mock interview report", StringComparison.Ordinal));
    }
}
