using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Sessions;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Coaching.Tests.Pipeline;

public sealed class TurnAnswersTests : IDisposable
{
    private readonly Coach _coach = new();
    private readonly CopyingFetcher _fetcher = new();

    public void Dispose() => _coach.Dispose();

    private static SessionKey Key => SessionKey.For("slack", "T1", "U1");

    private TurnAnswers Answers => new(_coach.Pipeline, [_fetcher], _coach.Recordings, _coach.TurnFolders, _coach.Sessions);

    private static CoachingTurn VoiceNote() => new()
    {
        Channel = "slack",
        TenantId = "T1",
        UserId = "U1",
        ConversationId = "D1",
        Intent = TurnIntent.Answer,
        IdempotencyKey = "slack:T1:D1:1700000200.000200",
        Audio = new AudioReference("https://files.slack.com/files-pri/T1-F1/audio_message.webm", "audio/webm", "audio_message.webm", null),
    };

    [Fact]
    public async Task Coach_VoiceNoteWithNoOpenQuestion_IsNotDownloadedAndAsksForAQuestion()
    {
        var outcome = await Answers.CoachAsync(VoiceNote(), new AnswerRequest(Key, null), default);

        Assert.Equal("no_question", outcome.Error!.Code);
        Assert.Equal(0, _fetcher.Downloads);
    }

    [Fact]
    public async Task Coach_VoiceNoteWithAnOpenQuestion_IsDownloadedAndCoached()
    {
        await _coach.Sessions.NextQuestionAsync(Key, default);

        var outcome = await Answers.CoachAsync(VoiceNote(), new AnswerRequest(Key, null), default);

        Assert.Equal(1, _fetcher.Downloads);
        Assert.NotNull(outcome.Report?.Delivery);
    }

    /// <summary>A platform's downloader that hands over the JFK recording and counts how often it was asked.</summary>
    private sealed class CopyingFetcher : IAudioFetcher
    {
        private int _downloads;

        public int Downloads => _downloads;

        public string Channel => "slack";

        public Task FetchAsync(Uri url, string destination, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _downloads);
            File.Copy(TestData.JfkWav, destination);
            return Task.CompletedTask;
        }
    }
}
