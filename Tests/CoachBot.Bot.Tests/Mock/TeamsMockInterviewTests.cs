using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CoachBot.Adapters.Teams.Tests.Support;
using CoachBot.Bot.Tests.Support;
using CoachBot.Bot.Tests.Teams;
using CoachBot.Cards.Adaptive;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CoachBot.Bot.Tests.Mock;

/// <summary>The host end to end on a fake Bot Framework: a résumé attachment in the personal chat, the job, the plan card, a mock interview with an audio file, the report card.</summary>
public sealed class TeamsMockInterviewTests : IAsyncLifetime, IDisposable
{
    private const string AppId = "00000000-0000-0000-0000-0000000000b1";
    private readonly TempFolder _folder = new();
    private FakeBotFramework _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeBotFramework.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ResumeAttachmentAndJob_PlanCard_StartSubmit_MockOfFiveWithAnAudioFile_ReportCardIsMeansOfStoredAnswers()
    {
        var processor = new RecordingProcessor[1];
        await using var factory = TeamsEndToEndTests.Configure(new CoachBotFactory(_folder.File("teams-mock.db")), _fake)
            .WithServices(s => s.AddSingleton<ITurnProcessor>(sp => processor[0] = new RecordingProcessor(ActivatorUtilities.CreateInstance<TurnProcessor>(sp))));
        using var client = factory.CreateClient();

        _fake.Files["resume.txt"] = Encoding.UTF8.GetBytes(MockInterviewEndToEnd.Resume);
        var resume = _fake.Message("m-resume", string.Empty, AppId);
        resume["attachments"] = new JsonArray(new JsonObject
        {
            ["contentType"] = "application/vnd.microsoft.teams.file.download.info",
            ["name"] = "resume.txt",
            ["content"] = new JsonObject { ["downloadUrl"] = _fake.ServiceUrl + "files/resume.txt", ["uniqueId"] = "f-resume", ["fileType"] = "txt" },
        });
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, resume)).StatusCode);
        var afterResume = await MockInterviewEndToEnd.ReplyAsync(processor[0], Key("m-resume"));
        Assert.Contains("Résumé read and deleted", afterResume.Text, StringComparison.Ordinal);

        await PostAsync(client, _fake.Message("m-job", "plan job: " + MockInterviewEndToEnd.Job, AppId));
        var plan = await MockInterviewEndToEnd.ReplyAsync(processor[0], Key("m-job"));
        Assert.Equal(TurnReplyKind.Plan, plan.Kind);

        var start = _fake.Message("m-start", null!, AppId);
        start["value"] = new JsonObject { [CardVerbs.Field] = CardVerbs.MockStartPlan };
        await PostAsync(client, start);
        var first = await MockInterviewEndToEnd.ReplyAsync(processor[0], Key("m-start"));

        _fake.Files["jfk.wav"] = await File.ReadAllBytesAsync(TestData.JfkWav);
        string? afterVoice = null;
        var (report, main) = await MockInterviewEndToEnd.RunAsync(first, async (i, _) =>
        {
            var id = $"m-answer-{i}";
            var message = _fake.Message(id, i == 3 ? string.Empty : MockInterviewEndToEnd.Answer(i), AppId);
            if (i == 3)
            {
                message["attachments"] = new JsonArray(new JsonObject
                {
                    ["contentType"] = "application/vnd.microsoft.teams.file.download.info",
                    ["name"] = "my answer.wav",
                    ["content"] = new JsonObject { ["downloadUrl"] = _fake.ServiceUrl + "files/jfk.wav", ["uniqueId"] = "f-voice", ["fileType"] = "wav" },
                });
            }

            await PostAsync(client, message);
            var reply = await MockInterviewEndToEnd.ReplyAsync(processor[0], Key(id));
            if (i == 3)
            {
                afterVoice = reply.Text;
            }

            return reply;
        });

        // The spoken answer is not taken silently: the reply says what was heard, by which engine, and how reliably.
        Assert.NotNull(afterVoice);
        Assert.Contains("pocketsphinx", afterVoice, StringComparison.Ordinal);
        Assert.True(afterVoice.Contains("I heard", StringComparison.Ordinal) || afterVoice.Contains("couldn't hear that reliably", StringComparison.Ordinal), afterVoice);

        Assert.Equal(5, main);
        Assert.Equal(5, report.Questions);
        await MockInterviewEndToEnd.AssertCardIsMeansOfStoredAnswersAsync(factory.Services, report);
        var card = AdaptiveCards.ForReply(new TurnReply { Kind = TurnReplyKind.MockReport, Text = "x", Mock = report }, new CardOptions(CanRecord: true)).ToJsonString();
        Assert.Contains("Mock interview report", card, StringComparison.Ordinal);
    }

    private static string Key(string activityId) => $"teams:a:personal-1:{activityId}";

    private Task<HttpResponseMessage> PostAsync(HttpClient client, JsonObject activity) => _fake.SendActivityAsync(client, activity, AppId);
}
