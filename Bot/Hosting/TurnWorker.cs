using System.Text.Json;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Recordings;
using Microsoft.Extensions.Options;

namespace CoachBot.Bot.Hosting;

/// <summary>
/// Processes queued turns, <c>Queue:Workers</c> at once (the queue keeps each person's turns in order): runs the coaching work under its own timeout, stores the reply,
/// then delivers it through the channel's replier and marks the turn done. A crash after the reply was stored
/// re-delivers the stored reply instead of coaching the answer twice; a turn that keeps failing ends with
/// a message to the user, never silence.
/// </summary>
internal sealed class TurnWorker(
    ITurnQueue queue,
    ITurnIntake intake,
    ITurnProcessor processor,
    IEnumerable<ITurnReplier> repliers,
    IRecordingStore recordings,
    IOptions<TurnQueueOptions> options,
    TimeProvider time,
    ILogger<TurnWorker> logger) : BackgroundService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    // The last registration for a channel wins, as with any service (a test or a host may replace an adapter's replier).
    private readonly Dictionary<string, ITurnReplier> _repliers = repliers.GroupBy(r => r.Channel, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
    private readonly TurnQueueOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting before taking work.
        await Task.Yield();
        var recovered = await queue.RecoverAbandonedAsync(stoppingToken);
        if (recovered > 0)
        {
            Log.TurnsRecovered(logger, recovered);
        }

        await Task.WhenAll(Enumerable.Range(0, _options.Workers).Select(worker => Task.Run(() => RunAsync(worker, stoppingToken), CancellationToken.None)));
    }

    /// <summary>One worker's loop; worker 0 also does the periodic clean-up.</summary>
    private async Task RunAsync(int worker, CancellationToken stoppingToken)
    {
        var failures = 0;
        var nextCleanup = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (worker == 0 && time.GetUtcNow() >= nextCleanup)
                {
                    // Finished turns keep their answer only as long as a redelivery might need it.
                    var cleared = await queue.ForgetFinishedAsync(time.GetUtcNow().AddDays(-_options.RetentionDays), stoppingToken);
                    Log.TurnsCleared(logger, cleared, _options.RetentionDays);

                    // A recording is deleted once coached; one still here after a day belongs to a turn that failed for good.
                    await recordings.DeleteOlderThanAsync(time.GetUtcNow().AddDays(-1), stoppingToken);
                    nextCleanup = time.GetUtcNow().AddHours(6);
                }

                // Acknowledgements first: while a burst of platform events is being stored, coaching waits (briefly).
                await intake.WhenQuietAsync(stoppingToken);
                var claimed = await queue.ClaimAsync(stoppingToken);
                if (claimed is null)
                {
                    await queue.WaitForWorkAsync(TimeSpan.FromSeconds(_options.PollSeconds), stoppingToken);
                }
                else
                {
                    await HandleAsync(claimed, stoppingToken);
                }

                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // The worker must outlive a failing database call (busy, disk full): the host serves every user.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failures++;
                Log.WorkerLoopFailed(logger, ex, failures);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, Math.Min(failures, 5)))), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Processes one claimed turn to its end: done, retried later, failed with a message, or released on shutdown.</summary>
    internal async Task HandleAsync(QueuedTurn claimed, CancellationToken stoppingToken)
    {
        var turn = claimed.Turn;
        if (!_repliers.TryGetValue(turn.Channel, out var replier))
        {
            Log.NoReplier(logger, claimed.Id, turn.Channel);
            await queue.AbandonAsync(claimed.Id, $"No replier is registered for channel '{turn.Channel}'.", CancellationToken.None);
            return;
        }

        // Earlier attempts died with the process (no failure was recorded): the turn may be what kills it, so stop retrying
        // and say so. A turn whose reply was already computed and stored only has its delivery left, so a few crashes
        // that were not its doing (an administrator's restart, a kill during deployment) do not throw its card away.
        if (claimed.Attempt > _options.MaxAttempts && (claimed.Result is null || claimed.Attempt > 2 * _options.MaxAttempts))
        {
            await GiveUpAsync(claimed, replier, "it was interrupted too many times");
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.TurnTimeoutSeconds));
        try
        {
            TurnReply reply;
            if (claimed.Result is { } stored)
            {
                reply = JsonSerializer.Deserialize<TurnReply>(stored, Json)!;
            }
            else
            {
                reply = await processor.ProcessAsync(turn, timeout.Token);
                await queue.SaveResultAsync(claimed.Id, JsonSerializer.Serialize(reply, Json), CancellationToken.None);
            }

            // A placeholder still being posted by this process (its hold ran out first) settles before the reply goes, so
            // the reply finds it in the delivery ledger and replaces it instead of racing it.
            await intake.WhenPlaceholderSettledAsync(turn.IdempotencyKey).WaitAsync(timeout.Token);
            await replier.SendAsync(turn, reply, timeout.Token);
            await queue.CompleteAsync(claimed.Id, CancellationToken.None);
            Log.TurnCompleted(logger, claimed.Id, turn.Channel, reply.Kind.ToString(), claimed.Attempt);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: put the turn back untouched; the next start picks it up.
            await queue.ReleaseAsync(claimed.Id, CancellationToken.None);
            Log.TurnReleased(logger, claimed.Id);
        }
#pragma warning disable CA1031 // Any failure of one turn must be recorded and must not stop the worker.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // The technical reason goes to the queue and the log; the user gets words meant for people.
            var timedOut = ex is OperationCanceledException;
            var retry = await queue.FailAsync(claimed.Id, timedOut ? $"timed out after {_options.TurnTimeoutSeconds} s" : ex.ToString(), CancellationToken.None);
            Log.TurnFailed(logger, ex, claimed.Id, claimed.Attempt, retry);
            if (!retry)
            {
                await TellUserAsync(turn, replier, timedOut ? "it took too long" : "something went wrong on our side");
            }
        }
    }

    private async Task GiveUpAsync(QueuedTurn claimed, ITurnReplier replier, string reason)
    {
        await queue.AbandonAsync(claimed.Id, reason, CancellationToken.None);
        Log.TurnFailed(logger, null, claimed.Id, claimed.Attempt, false);
        await TellUserAsync(claimed.Turn, replier, reason);
    }

    private async Task TellUserAsync(CoachingTurn turn, ITurnReplier replier, string reason)
    {
        var message = TurnReply.Failure("processing_failed",
            $"Sorry, I could not coach that answer ({reason}). Please send it again in a minute; if it keeps failing, try a shorter answer or type it instead of recording it.");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await replier.SendAsync(turn, message, timeout.Token);
        }
#pragma warning disable CA1031 // The failure message is best effort; the turn is already recorded as failed.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.FailureNotSent(logger, ex, turn.Channel);
        }
    }
}
