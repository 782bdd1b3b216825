using System.Net;
using System.Net.Http.Json;
using System.Text;
using CoachBot.Bot.DevChat;
using CoachBot.Bot.Tests.DevChat;
using CoachBot.Bot.Tests.Support;
using CoachBot.Cards.Adaptive;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CoachBot.Bot.Tests.Mock;

/// <summary>The host end to end in the dev chat: upload a résumé, paste the job, the plan card, a mock interview with a spoken answer, the report card.</summary>
public sealed class DevChatMockInterviewTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task UploadResumeAndJob_PlanCard_StartMockOfFiveWithOneVoiceAnswer_ReportCardIsMeansOfStoredAnswers()
    {
        var processor = new RecordingProcessor[1];
        await using var factory = new CoachBotFactory(_folder.File("dev-mock.db"))
            .WithSetting("Audio:TempDirectory", _folder.File("turns"))
            .WithServices(s => s.AddSingleton<ITurnProcessor>(sp => processor[0] = new RecordingProcessor(ActivatorUtilities.CreateInstance<TurnProcessor>(sp))));
        using var client = DevChatHttp.Client(factory);
        var user = DevChatHttp.User;

        using var upload = new MultipartFormDataContent
        {
            { new StringContent("doc-0001"), "id" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(MockInterviewEndToEnd.Resume)), "document", "resume.txt" },
        };
        using var withoutHeader = await client.PostAsync(new Uri("/api/dev/documents", UriKind.Relative), upload);
        Assert.Equal(HttpStatusCode.BadRequest, withoutHeader.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/dev/documents") { Content = upload };
        request.Headers.Add(DevChatEndpoints.UploadHeader, "1");
        using var accepted = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var afterResume = await MockInterviewEndToEnd.ReplyAsync(processor[0], $"dev:{user}:doc-0001");
        Assert.Contains("Résumé read and deleted", afterResume.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.EnumerateFiles(_folder.File("turns"), "*", SearchOption.AllDirectories), f => !f.EndsWith(".lock", StringComparison.Ordinal));

        await client.PostAsJsonAsync("/api/dev/messages", new { id = "message-0001", text = "plan job: " + MockInterviewEndToEnd.Job });
        var plan = await MockInterviewEndToEnd.ReplyAsync(processor[0], $"dev:{user}:message-0001");
        Assert.Equal(TurnReplyKind.Plan, plan.Kind);
        var card = AdaptiveCards.ForReply(plan, DevChatReplier.Options).ToJsonString();
        Assert.Contains("\"verb\":\"mock start plan\"", card, StringComparison.Ordinal);
        Assert.Contains("\"verb\":\"plan regenerate\"", card, StringComparison.Ordinal);
        Assert.Contains("\"verb\":\"plan skip\"", card, StringComparison.Ordinal);

        await client.PostAsJsonAsync("/api/dev/actions", new { id = "action-0001", verb = CardVerbs.MockStartPlan, label = "Start" });
        var first = await MockInterviewEndToEnd.ReplyAsync(processor[0], $"dev:{user}:action-0001");
        Assert.Contains(first.Question!.Id, plan.Plan!.Questions.Select(q => q.Id));

        var voice = await File.ReadAllBytesAsync(TestData.JfkWav);
        var (report, main) = await MockInterviewEndToEnd.RunAsync(first, async (i, question) =>
        {
            if (i == 1)
            {
                // The second answer is spoken, through the recorder link the dev chat issues.
                var token = await DevChatHttp.RecorderTokenAsync(client, question.Question!.Id);
                using var audio = new MultipartFormDataContent();
                var file = new ByteArrayContent(voice);
                file.Headers.ContentType = new("audio/wav");
                audio.Add(file, "audio", "answer.wav");
                var sent = await client.PostAsync(new Uri("/api/recordings?token=" + Uri.EscapeDataString(token), UriKind.Relative), audio);
                Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
                return await MockInterviewEndToEnd.ReplyAsync(processor[0], k => k.StartsWith("recording:", StringComparison.Ordinal));
            }

            var id = $"message-{i + 10:D4}";
            await client.PostAsJsonAsync("/api/dev/messages", new { id, text = MockInterviewEndToEnd.Answer(i) });
            return await MockInterviewEndToEnd.ReplyAsync(processor[0], $"dev:{user}:{id}");
        });

        Assert.Equal(5, main);
        Assert.Equal(5, report.Questions);
        await MockInterviewEndToEnd.AssertCardIsMeansOfStoredAnswersAsync(factory.Services, report);
        var entries = factory.Services.GetRequiredService<DevConversations>().After(user, 0).Entries;
        var shown = entries[^1];
        Assert.Equal("MockReport", shown.Kind);
        Assert.Contains("Mock interview report", shown.Card!.ToJsonString(), StringComparison.Ordinal);

        await client.PostAsJsonAsync("/api/dev/messages", new { id = "message-0100", text = "progress" });
        var progress = await MockInterviewEndToEnd.ReplyAsync(processor[0], $"dev:{user}:message-0100");
        Assert.Contains($"readiness {report.Readiness}/100", progress.Text, StringComparison.Ordinal);

        // "forget me": the prompt says what goes; once confirmed, a reload of the page shows nothing of what was deleted.
        await client.PostAsJsonAsync("/api/dev/messages", new { id = "message-0101", text = "forget me" });
        var prompt = await MockInterviewEndToEnd.ReplyAsync(processor[0], $"dev:{user}:message-0101");
        Assert.Contains("mock interviews", prompt.Text, StringComparison.Ordinal);
        Assert.Contains("interview plans", prompt.Text, StringComparison.Ordinal);
        await client.PostAsJsonAsync("/api/dev/actions", new { id = "action-0102", verb = CardVerbs.ForgetConfirm, label = "Yes, delete my data" });
        var done = await MockInterviewEndToEnd.ReplyAsync(processor[0], $"dev:{user}:action-0102");
        Assert.True(done.Forgotten, done.Text);
        var kept = factory.Services.GetRequiredService<DevConversations>().After(user, 0).Entries;
        Assert.All(kept, e => Assert.Equal($"dev:{user}:action-0102", e.TurnKey));
        Assert.Contains(kept, e => e.Role == "bot" && e.Forgotten);
        Assert.DoesNotContain(kept, e => e.Text.Contains(MockInterviewEndToEnd.Answer(0)[..30], StringComparison.Ordinal) || e.Kind == "MockReport");
    }
}
