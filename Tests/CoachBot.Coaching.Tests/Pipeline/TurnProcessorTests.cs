using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Sessions;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Coaching.Tests.Pipeline;

public sealed class TurnProcessorTests : IDisposable
{
    private readonly Coach _coach = new();
    private int _event;

    public void Dispose() => _coach.Dispose();

    [Fact]
    public async Task Answer_BeforeAnyQuestion_AsksTheFirstQuestionInstead()
    {
        var reply = await Send(TurnIntent.Answer, "Hi, I want to practise.");

        Assert.Equal(TurnReplyKind.Question, reply.Kind);
        Assert.NotNull(reply.Question);
    }

    [Fact]
    public async Task Start_WithRole_AsksAQuestionForThatRole()
    {
        var reply = await Send(TurnIntent.Command, "start pm");

        var question = _coach.Bank.Find(reply.Question!.Id)!;
        Assert.Contains(question.Role, new[] { "product-manager", "general" });
        Assert.Equal("product-manager", (await _coach.Sessions.GetAsync(Key, default)).Role);
    }

    [Fact]
    public async Task Answer_AfterStart_ReturnsAReportOnThatQuestion()
    {
        var asked = await Send(TurnIntent.Command, "start");

        var reply = await Send(TurnIntent.Answer, "I disagreed with my lead, so I built a prototype and we shipped 2 weeks early.");

        Assert.Equal(TurnReplyKind.Report, reply.Kind);
        Assert.Equal(asked.Question!.Id, reply.Report!.Question.Id);
    }

    [Fact]
    public async Task NextAction_FromAReportCard_AsksTheQuestionTheReportOffered()
    {
        var first = (await Send(TurnIntent.Command, "start")).Question!.Id;
        var report = (await Send(TurnIntent.Answer, "Last year I led our migration to a new CI system and cut build time from 40 to 12 minutes by caching.", questionId: first)).Report!;

        var reply = await Send(TurnIntent.CardAction, null, action: "next", questionId: first);

        Assert.Equal(report.NextQuestion!.Id, reply.Question!.Id);
    }

    [Fact]
    public async Task NextAction_FromAQuestionCard_SkipsToAnotherQuestion()
    {
        var shown = (await Send(TurnIntent.Command, "start")).Question!.Id;

        var reply = await Send(TurnIntent.CardAction, null, action: "next", questionId: shown);

        Assert.NotEqual(shown, reply.Question!.Id);
    }

    [Fact]
    public async Task Hint_ListsTheRubricOfTheCurrentQuestion()
    {
        var asked = await Send(TurnIntent.Command, "start");

        var hint = await Send(TurnIntent.Command, "hint");

        Assert.Equal(TurnReplyKind.Hint, hint.Kind);
        Assert.Equal(_coach.Bank.Find(asked.Question!.Id)!.Rubric.Select(r => r.Point), hint.Points);
    }

    [Fact]
    public async Task RetryAction_MakesThatQuestionCurrentAgain()
    {
        var first = await Send(TurnIntent.Command, "start");
        await Send(TurnIntent.Command, "next");

        var retry = await Send(TurnIntent.CardAction, null, action: "retry", questionId: first.Question!.Id);

        Assert.Equal(first.Question.Id, retry.Question!.Id);
        Assert.Equal(first.Question.Id, (await _coach.Sessions.GetAsync(Key, default)).CurrentQuestionId);
    }

    [Fact]
    public async Task ForgetMe_AsksForConfirmationBeforeDeleting()
    {
        await Send(TurnIntent.Command, "start");
        await Send(TurnIntent.Answer, "I fixed the outage in 20 minutes and wrote the postmortem for the team.");

        var ask = await Send(TurnIntent.Command, "forget me");
        Assert.Equal(TurnReplyKind.Confirm, ask.Kind);
        Assert.Equal(1, (await _coach.Sessions.GetProgressAsync(Key, default)).Attempts);

        await Send(TurnIntent.Command, "forget me confirm");
        Assert.Equal(0, (await _coach.Sessions.GetProgressAsync(Key, default)).Attempts);
    }

    [Theory]
    [InlineData("difficulty 7", "bad_difficulty")]
    [InlineData("role astronaut", "unknown_role")]
    [InlineData("dance", "unknown_command")]
    public async Task BadCommand_ExplainsWhatIsAccepted(string text, string code)
    {
        var reply = await Send(TurnIntent.Command, text);

        Assert.Equal(TurnReplyKind.Error, reply.Kind);
        Assert.Equal(code, reply.ErrorCode);
    }

    [Fact]
    public async Task Progress_AfterAnswers_SummarisesThem()
    {
        await Send(TurnIntent.Command, "start");
        await Send(TurnIntent.Answer, "I fixed the outage in 20 minutes and wrote the postmortem.");

        var reply = await Send(TurnIntent.Command, "progress");

        Assert.Equal(TurnReplyKind.Progress, reply.Kind);
        Assert.Equal(1, reply.Progress!.Attempts);
    }

    [Fact]
    public async Task VoiceAnswer_LocalRecording_IsCoachedWithDelivery()
    {
        using var folder = new TempFolder();
        var clip = TestData.Encode(TestData.JfkWav, folder.File("voice.webm"), "-c:a", "libopus");
        var question = _coach.Bank.All[0].Id;

        var reply = await _coach.Processor.ProcessAsync(Turn(TurnIntent.Answer, null) with
        {
            Channel = "dev", QuestionId = question, Audio = new AudioReference(clip, "audio/webm", "voice.webm", null),
        }, default);

        Assert.Equal(TurnReplyKind.Report, reply.Kind);
        Assert.NotNull(reply.Report!.Delivery);
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://files.example/voice.m4a")]
    public async Task VoiceAnswer_LocalPathFromAPlatformChannel_IsRefused(string location)
    {
        var reply = await _coach.Processor.ProcessAsync(Turn(TurnIntent.Answer, null) with { Channel = "slack", Audio = new AudioReference(location, "audio/mp4", null, null) }, default);

        Assert.Equal("audio_unreachable", reply.ErrorCode);
    }

    [Fact]
    public async Task VoiceAnswer_UrlOnAChannelWithoutAFetcher_SaysToTypeInstead()
    {
        var reply = await _coach.Processor.ProcessAsync(Turn(TurnIntent.Answer, null) with { Audio = new AudioReference("https://files.example/voice.m4a", "audio/mp4", null, null) }, default);

        Assert.Equal("audio_unreachable", reply.ErrorCode);
    }

    [Fact]
    public async Task VoiceAnswer_StoredRecordingFromAnyChannel_IsCoachedAndThenDeleted()
    {
        using var folder = new TempFolder();
        var clip = TestData.Encode(TestData.JfkWav, folder.File("voice.webm"), "-c:a", "libopus");
        AudioReference stored;
        await using (var upload = File.OpenRead(clip))
        {
            stored = await _coach.Recordings.SaveAsync(upload, "audio/webm", "voice.webm", default);
        }

        var reply = await _coach.Processor.ProcessAsync(Turn(TurnIntent.Answer, null) with
        {
            Channel = "teams", QuestionId = _coach.Bank.All[0].Id, Audio = stored, FromRecorder = true,
        }, default);

        Assert.Equal(TurnReplyKind.Report, reply.Kind);
        Assert.NotNull(reply.Report!.Delivery);
        using var copy = new TempFolder();
        Assert.Null(await _coach.Recordings.CopyToAsync(stored.Location, copy.Path, default));
    }

    [Fact]
    public async Task VoiceAnswer_StoredRecordingNamedByAPlatformMessage_IsRefusedAndKept()
    {
        AudioReference stored;
        await using (var upload = File.OpenRead(TestData.JfkWav))
        {
            stored = await _coach.Recordings.SaveAsync(upload, "audio/wav", "voice.wav", default);
        }

        var reply = await _coach.Processor.ProcessAsync(Turn(TurnIntent.Answer, null) with { Channel = "teams", Audio = stored }, default);

        Assert.Equal("audio_unreachable", reply.ErrorCode);
        using var copy = new TempFolder();
        Assert.NotNull(await _coach.Recordings.CopyToAsync(stored.Location, copy.Path, default));
    }

    [Theory]
    [InlineData("recording:../../etc/passwd")]
    [InlineData("recording:0123456789abcdef0123456789abcdef")]
    public async Task VoiceAnswer_RecordingThatIsNotStored_IsRefused(string location)
    {
        var reply = await _coach.Processor.ProcessAsync(Turn(TurnIntent.Answer, null) with { Channel = "teams", Audio = new AudioReference(location, "audio/webm", null, null), FromRecorder = true }, default);

        Assert.Equal(TurnReplyKind.Error, reply.Kind);
        Assert.Equal("audio_unreachable", reply.ErrorCode);
    }

    private static SessionKey Key => SessionKey.For("test", "T1", "U1");

    private Task<TurnReply> Send(TurnIntent intent, string? text, string? action = null, string? questionId = null) =>
        _coach.Processor.ProcessAsync(Turn(intent, text) with { Action = action, QuestionId = questionId }, default);

    private CoachingTurn Turn(TurnIntent intent, string? text) => new()
    {
        Channel = "test",
        TenantId = "T1",
        UserId = "U1",
        ConversationId = "D1",
        Intent = intent,
        Text = text,
        IdempotencyKey = $"evt-{++_event}",
    };
}
