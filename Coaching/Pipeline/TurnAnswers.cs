using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Recordings;
using CoachBot.Coaching.Sessions;

namespace CoachBot.Coaching.Pipeline;

/// <summary>
/// Coaches the answer a turn carries: its text, or its recording wherever that lives (the bot's own recording store, a
/// platform URL fetched with the channel's credentials, or a local file from a channel that saved it itself).
/// </summary>
internal sealed class TurnAnswers(
    ICoachingPipeline pipeline, IEnumerable<IAudioFetcher> fetchers, IRecordingStore recordings, TurnFolders folders, IPracticeSessions sessions)
{
    /// <summary>Channels that save uploads on the server themselves and may pass a local file (the CLI, the web dev chat).</summary>
    public static readonly IReadOnlySet<string> LocalAudioChannels = new HashSet<string>(StringComparer.Ordinal) { "cli", "dev" };

    /// <summary>Coaches the turn's answer with <paramref name="request"/>'s question and options.</summary>
    public Task<CoachingOutcome> CoachAsync(CoachingTurn turn, AnswerRequest request, CancellationToken cancellationToken) =>
        turn.Audio is { } audio
            ? CoachRecordingAsync(turn, request, audio, cancellationToken)
            : pipeline.CoachAsync(request with { Text = turn.Text }, cancellationToken);

    private async Task<CoachingOutcome> CoachRecordingAsync(CoachingTurn turn, AnswerRequest request, AudioReference audio, CancellationToken cancellationToken)
    {
        // Every file of this answer (download, ffmpeg's output) goes in the turn's folder, removed when it ends.
        using var folder = folders.Open(turn.IdempotencyKey);
        request = request with { Text = null };
        if (recordings.Owns(audio.Location))
        {
            // Uploaded to the bot's own recorder page: the store names the file, whatever the channel; only the upload
            // endpoint may hand such a name over.
            if (!turn.FromRecorder || await recordings.CopyToAsync(audio.Location, folder.CreateSubfolder("recording-").FullName, cancellationToken) is not { } stored)
            {
                return CoachingOutcome.Failure("audio_unreachable", "That recording is no longer here. Please record your answer again.");
            }

            var coached = await pipeline.CoachAsync(request with { AudioPath = stored }, cancellationToken);
            await recordings.DeleteAsync(audio.Location, cancellationToken);
            return coached;
        }

        if (!Uri.TryCreate(audio.Location, UriKind.Absolute, out var url) || url.IsFile)
        {
            // A local path is trusted only from channels whose server side wrote the file itself; a platform's
            // turn must never make the bot read an arbitrary file.
            return LocalAudioChannels.Contains(turn.Channel)
                ? await pipeline.CoachAsync(request with { AudioPath = url?.LocalPath ?? audio.Location }, cancellationToken)
                : CoachingOutcome.Failure("audio_unreachable", "I can't open that recording. Please send it again, or type your answer.");
        }

        if (url.Scheme is not ("https" or "http"))
        {
            return CoachingOutcome.Failure("audio_unreachable", "I can't open that recording. Please send it again, or type your answer.");
        }

        var fetcher = fetchers.FirstOrDefault(f => f.Channel == turn.Channel);
        if (fetcher is null)
        {
            return CoachingOutcome.Failure("audio_unreachable", "I can't download recordings from this channel. Please type your answer instead.");
        }

        if (request.Question is null && request.QuestionId is null && string.IsNullOrWhiteSpace(request.QuestionText)
            && (await sessions.GetAsync(request.Session, cancellationToken)).CurrentQuestionId is null)
        {
            // Nothing to answer yet: the recording is neither downloaded nor transcribed; the caller asks a question.
            return CoachingOutcome.Failure("no_question", "There is no open question to answer yet. Here is one to answer.");
        }

        try
        {
            var local = Path.Combine(folder.CreateSubfolder("download-").FullName, "recording");
            await fetcher.FetchAsync(url, local, cancellationToken);
            return await pipeline.CoachAsync(request with { AudioPath = local }, cancellationToken);
        }
        catch (AudioRejectedException ex)
        {
            return CoachingOutcome.Failure(ex.Code, ex.Message);
        }
    }
}
