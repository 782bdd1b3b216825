using System.Globalization;
using System.Text;
using System.Text.Json;
using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Sessions;

namespace CoachBot.Coaching.Plans;

/// <summary>
/// Interview plans in a direct chat. The user sends a résumé file and the job description (pasted with
/// <c>plan job: …</c>, or as a second file), in either order; whichever comes first is read at once and only its facts
/// are held (<c>practice_sessions.pending_plan</c>) until the other comes. Files are deleted as soon as they are read or
/// refused. Then the plan comes back as a card with Start, Skip question and Regenerate.
/// </summary>
internal sealed class PlanChat(InterviewPlans plans, IEnumerable<IAudioFetcher> fetchers, TurnFolders folders, DocumentUploads uploads, IPlanStore store, TimeProvider time)
{
    public const string HowTo =
        "Interview plan from your résumé and a job: in this direct chat, send your résumé as a file (PDF with selectable text, .docx or .txt) " +
        "and paste the job description as “plan job: <the posting>” (or send it as a second file, with the word “job” in the message), in either order. " +
        "I keep only facts from them (skills, experiences, duties), never the files. Then: plan show · plan regenerate · plan skip <n> · mock start plan.";

    private sealed record Pending(ResumeFacts? Resume, JobFacts? Job);

    /// <summary><c>plan</c>, <c>plan job: …</c>, <c>plan show</c>, <c>plan regenerate</c>, <c>plan skip &lt;n&gt;</c>.</summary>
    public async Task<TurnReply> CommandAsync(CoachingTurn turn, SessionKey key, string raw, CancellationToken cancellationToken)
    {
        var rest = raw.Length > "plan".Length ? raw["plan".Length..].Trim() : string.Empty;
        var (sub, argument) = TurnProcessor.Split(rest);
        if (sub.StartsWith("job", StringComparison.Ordinal))
        {
            var text = rest[3..].TrimStart(':', ' ', '\n', '\r', '\t');
            return await WithJobAsync(turn, key, text, null, cancellationToken);
        }

        switch (sub)
        {
            case "show":
                return await plans.LatestAsync(key, cancellationToken) is { } plan
                    ? Card(plan, "Your newest interview plan:")
                    : new TurnReply { Kind = TurnReplyKind.Text, Text = "You have no interview plan here yet.\n" + HowTo };
            case "regenerate":
                return await plans.RegenerateAsync(key, cancellationToken) is { } fresh
                    ? Card(fresh, "A new plan from the same facts (other bank questions where the bank has them):")
                    : new TurnReply { Kind = TurnReplyKind.Text, Text = "You have no interview plan here yet.\n" + HowTo };
            case "skip":
                // A card's Skip button names the question by id; a typed command by its number.
                if (argument.Length == 0 && turn.QuestionId is { } skippedId && await plans.LatestAsync(key, cancellationToken) is { } current)
                {
                    argument = (current.Questions.ToList().FindIndex(q => q.Id == skippedId) + 1).ToString(CultureInfo.InvariantCulture);
                }

                if (!int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                {
                    return TurnReply.Failure("bad_plan_skip", "Say which question to drop, e.g. “plan skip 3”.");
                }

                return await plans.SkipQuestionAsync(key, number, cancellationToken) is { } shorter
                    ? Card(shorter, $"Question {number} is out of the plan.")
                    : TurnReply.Failure("bad_plan_skip", "There is no such question in your newest plan (and a plan keeps at least one). “plan show” lists them.");
            default:
                var pending = await PendingAsync(key, cancellationToken);
                var waiting = pending is { Resume: not null } ? "I have your résumé's facts; now paste the job description: “plan job: <the posting>”.\n"
                    : pending is { Job: not null } ? "I have the job description's facts; now send your résumé as a file.\n" : string.Empty;
                return new TurnReply { Kind = TurnReplyKind.Text, Text = waiting + HowTo };
        }
    }

    /// <summary>A file sent in a direct chat: the résumé, or the job description when the message says "job" or the résumé came first.</summary>
    public async Task<TurnReply> DocumentAsync(CoachingTurn turn, SessionKey key, CancellationToken cancellationToken)
    {
        var document = turn.Document!;
        if (!turn.IsDirect && turn.Channel != "cli")
        {
            return TurnReply.Failure("not_direct", "Send your résumé only in our direct chat, never in a channel.");
        }

        using var folder = folders.Open(turn.IdempotencyKey);
        string path;
        try
        {
            path = await LocalCopyAsync(turn, document, folder, cancellationToken);
        }
        catch (AudioRejectedException ex)
        {
            Forget(document);
            return TurnReply.Failure("document_unreachable", $"I couldn't download that file ({ex.Code.Replace('_', ' ')}). Please send it again.");
        }

        var pending = await PendingAsync(key, cancellationToken);
        var isJob = Words(turn.Text).Contains("job") || (pending is { Resume: not null, Job: null } && !Words(turn.Text).Contains("resume") && !Words(turn.Text).Contains("résumé"));
        if (isJob)
        {
            return await WithJobAsync(turn, key, null, path, cancellationToken);
        }

        ResumeFacts resume;
        try
        {
            resume = plans.ReadUploadedResume(key, path);
        }
        catch (DocumentRefusedException ex)
        {
            return TurnReply.Failure("document_refused", ex.Message);
        }
        finally
        {
            Forget(document);
        }

        if (pending?.Job is { } job)
        {
            return await BuildAsync(key, resume, job, cancellationToken);
        }

        await HoldAsync(key, new Pending(resume, null), cancellationToken);
        return new TurnReply
        {
            Kind = TurnReplyKind.Text,
            Text = $"Résumé read and deleted: I kept {resume.Skills.Count} skills and {resume.Experiences.Count} experience phrases. " +
                   "Now paste the job description: “plan job: <the posting>” (or send it as a file).",
        };
    }

    private async Task<TurnReply> WithJobAsync(CoachingTurn turn, SessionKey key, string? text, string? path, CancellationToken cancellationToken)
    {
        if (path is null && string.IsNullOrWhiteSpace(text))
        {
            return TurnReply.Failure("no_job", "Paste the job description after “plan job:”, e.g. plan job: Senior Data Analyst. You will build dashboards…");
        }

        JobFacts job;
        try
        {
            job = plans.ReadJob(key, text, path);
        }
        catch (DocumentRefusedException ex)
        {
            return TurnReply.Failure("document_refused", ex.Message);
        }
        finally
        {
            if (turn.Document is { } document)
            {
                Forget(document);
            }
        }

        var pending = await PendingAsync(key, cancellationToken);
        if (pending?.Resume is { } resume)
        {
            return await BuildAsync(key, resume, job, cancellationToken);
        }

        await HoldAsync(key, new Pending(null, job), cancellationToken);
        return new TurnReply
        {
            Kind = TurnReplyKind.Text,
            Text = $"Job description read{(job.Title is { } title ? $" ({title})" : string.Empty)}: {job.Skills.Count} skills and {job.Responsibilities.Count} duties kept. " +
                   "Now send your résumé as a file (PDF with selectable text, .docx or .txt).",
        };
    }

    private async Task<TurnReply> BuildAsync(SessionKey key, ResumeFacts resume, JobFacts job, CancellationToken cancellationToken)
    {
        var plan = await plans.BuildAsync(key, resume, job, null, cancellationToken);
        await HoldAsync(key, null, cancellationToken);
        return Card(plan, "Your interview plan is ready. Only the facts below were kept; the files are deleted.");
    }

    /// <summary>The plan as a reply every channel renders as a card (buttons: Start, Skip question, Regenerate).</summary>
    internal static TurnReply Card(InterviewPlan plan, string lead)
    {
        var text = new StringBuilder(lead).AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"{plan.JobTitle ?? plan.Role} ({plan.Role}): {plan.Questions.Count} questions, {plan.Questions.Count(q => q.Source == PlanQuestion.Written)} written for you.");
        for (var i = 0; i < plan.Questions.Count; i++)
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"{i + 1}. {plan.Questions[i].Text}");
        }

        text.AppendLine().Append("Say “mock start plan” for a mock interview of it, “plan skip <n>” to drop a question, “plan regenerate” for another set.");
        return new TurnReply { Kind = TurnReplyKind.Plan, Text = text.ToString(), Plan = plan };
    }

    private async Task<string> LocalCopyAsync(CoachingTurn turn, AudioReference document, TurnFolder folder, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(document.Location, UriKind.Absolute, out var url) || url.IsFile)
        {
            // Only channels whose server side wrote the file itself may name a local one.
            return TurnAnswers.LocalAudioChannels.Contains(turn.Channel)
                ? url?.LocalPath ?? document.Location
                : throw new AudioRejectedException("download_refused", "A local file from this channel is not read.", "local path from a platform");
        }

        var fetcher = fetchers.FirstOrDefault(f => f.Channel == turn.Channel)
                      ?? throw new AudioRejectedException("download_refused", "No downloads on this channel.", turn.Channel);
        var extension = Path.GetExtension(document.FileName ?? string.Empty).ToLowerInvariant();
        var local = Path.Combine(folder.CreateSubfolder("document-").FullName, "document" + (extension is ".pdf" or ".docx" or ".txt" or ".md" or ".doc" or ".docm" or ".rtf" ? extension : string.Empty));
        await fetcher.FetchAsync(url, local, cancellationToken);
        return local;
    }

    private void Forget(AudioReference document)
    {
        if (!Uri.TryCreate(document.Location, UriKind.Absolute, out var url) || url.IsFile)
        {
            uploads.Delete(url?.LocalPath ?? document.Location);
        }
    }

    private async Task<Pending?> PendingAsync(SessionKey key, CancellationToken cancellationToken) =>
        await store.PendingAsync(key, cancellationToken) is { } json ? JsonSerializer.Deserialize<Pending>(json, ReportJson.Compact) : null;

    private Task HoldAsync(SessionKey key, Pending? pending, CancellationToken cancellationToken) =>
        store.HoldAsync(key, pending is null ? null : JsonSerializer.Serialize(pending, ReportJson.Compact), time.GetUtcNow(), cancellationToken);

    private static HashSet<string> Words(string? text) =>
        (text ?? string.Empty).ToLowerInvariant().Split([' ', ':', ',', '.', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
}
