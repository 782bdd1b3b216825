using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Sessions;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Coaching.Tests.Plans;

/// <summary>Plans made in a chat: a résumé file and a pasted job, in either order, through the turn processor.</summary>
public sealed class PlanChatTests : IAsyncLifetime, IDisposable
{
    private readonly CoachOnStorage _coaches = new();

    private Coach Subject => _coaches.Subject;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _coaches.DisposeAsync();

    private Task UseAsync(string provider) => _coaches.UseAsync(provider);
    private int _event;

    public void Dispose() => _coaches.Dispose();

    [Theory, OnSqlite, OnPostgres]
    public async Task ResumeFileThenPastedJob_GivesThePlanCardAndDeletesTheFile(string provider)
    {
        await UseAsync(provider);
        var resume = await UploadAsync("resume.txt", string.Join('\n', PlanDocuments.BackendResume));

        var afterResume = await Send(new CoachingTurn { Channel = "dev", UserId = "U1", ConversationId = "U1", IsDirect = true, Intent = TurnIntent.Command, Document = resume, IdempotencyKey = Key() });
        var plan = await Send(Command("plan job: " + string.Join('\n', PlanDocuments.DataAnalystJob)));

        Assert.Contains("Résumé read and deleted", afterResume.Text, StringComparison.Ordinal);
        Assert.False(File.Exists(resume.Location));
        Assert.Equal(TurnReplyKind.Plan, plan.Kind);
        Assert.Equal("data-analyst", plan.Plan!.Role);
        Assert.Equal(plan.Plan.Id, (await Subject.Plans.LatestAsync(new SessionKey("dev", "U1"), default))!.Id);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task PastedJobThenResumeFile_GivesThePlan_AndSkipAndRegenerateChangeIt(string provider)
    {
        await UseAsync(provider);
        await Send(Command("plan job: " + string.Join('\n', PlanDocuments.DataAnalystJob)));
        var resume = await UploadAsync("resume.txt", string.Join('\n', PlanDocuments.BackendResume));

        var plan = await Send(new CoachingTurn { Channel = "dev", UserId = "U1", ConversationId = "U1", IsDirect = true, Intent = TurnIntent.Command, Document = resume, IdempotencyKey = Key() });
        var skipped = await Send(Command(null) with { Intent = TurnIntent.CardAction, Action = "plan skip", QuestionId = plan.Plan!.Questions[0].Id });
        var regenerated = await Send(Command("plan regenerate"));

        Assert.Equal(TurnReplyKind.Plan, plan.Kind);
        Assert.Equal(plan.Plan.Questions.Count - 1, skipped.Plan!.Questions.Count);
        Assert.DoesNotContain(skipped.Plan.Questions, q => q.Id == plan.Plan.Questions[0].Id);
        Assert.NotEqual(plan.Plan.Id, regenerated.Plan!.Id);
        var before = plan.Plan.Questions.Where(q => q.Source == "bank").Select(q => q.Id).ToHashSet();
        Assert.True(regenerated.Plan.Questions.Any(q => q.Source == "bank" && !before.Contains(q.Id)), "regenerate offered no other bank question");
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task RefusedFile_SaysWhyAndIsDeleted(string provider)
    {
        await UseAsync(provider);
        var scan = await UploadAsync("resume.doc", "not really a word file");

        var reply = await Send(new CoachingTurn { Channel = "dev", UserId = "U1", ConversationId = "U1", IsDirect = true, Intent = TurnIntent.Command, Document = scan, IdempotencyKey = Key() });

        Assert.Equal(TurnReplyKind.Error, reply.Kind);
        Assert.Equal("document_refused", reply.ErrorCode);
        Assert.False(File.Exists(scan.Location));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task LocalFileFromAPlatformChannel_IsNotRead(string provider)
    {
        await UseAsync(provider);
        var resume = await UploadAsync("resume.txt", string.Join('\n', PlanDocuments.BackendResume));

        var reply = await Send(new CoachingTurn { Channel = "slack", UserId = "U1", ConversationId = "D1", IsDirect = true, Intent = TurnIntent.Command, Document = resume, IdempotencyKey = Key() });

        Assert.Equal(TurnReplyKind.Error, reply.Kind);
        Assert.Equal("document_unreachable", reply.ErrorCode);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Help_ExplainsHowToMakeAPlanInChat(string provider)
    {
        await UseAsync(provider);
        var reply = await Send(Command("help"));

        Assert.Contains("plan job:", reply.Text, StringComparison.Ordinal);
        Assert.Contains("mock start", reply.Text, StringComparison.Ordinal);
    }

    private async Task<AudioReference> UploadAsync(string name, string text)
    {
        using var content = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
        return await Subject.Uploads.SaveAsync(content, name, "text/plain", default);
    }

    private string Key() => $"evt-{++_event}";

    private CoachingTurn Command(string? text) => new()
    {
        Channel = "dev", UserId = "U1", ConversationId = "U1", IsDirect = true, Intent = TurnIntent.Command, Text = text, IdempotencyKey = Key(),
    };

    private Task<TurnReply> Send(CoachingTurn turn) => Subject.Processor.ProcessAsync(turn, default);
}
