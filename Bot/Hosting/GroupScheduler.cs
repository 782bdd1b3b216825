using CoachBot.Coaching.Groups;
using CoachBot.Coaching.Queue;
using Microsoft.Extensions.Options;

namespace CoachBot.Bot.Hosting;

/// <summary>
/// Wraps group rounds whose deadline passed and starts the question of the day where a channel scheduled one. Both live
/// in the database, so a deadline or schedule reached while the bot was down is handled at the next start. The work goes
/// through the turn queue like a user's command (de-duplicated by a key per round or per scheduled run), so the same
/// replier posts it and a crash mid-way never posts it twice.
/// </summary>
internal sealed class GroupScheduler(
    IGroupRounds rounds,
    ITurnQueue queue,
    IOptions<GroupOptions> options,
    TimeProvider time,
    ILogger<GroupScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.CheckSeconds), time);
        do
        {
            try
            {
                await RunDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // One failed check (a busy database) must not stop the schedules; the next tick retries.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.GroupCheckFailed(logger, ex);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    /// <summary>Queues a wrap for every overdue round and a round for every due schedule.</summary>
    internal async Task RunDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var round in await rounds.DueAsync(now, cancellationToken))
        {
            var queued = await queue.EnqueueAsync(new CoachingTurn
            {
                Channel = round.Channel,
                TenantId = round.TenantId,
                UserId = round.FacilitatorId,
                ConversationId = round.ConversationId,
                ThreadId = round.ThreadId,
                Intent = TurnIntent.Command,
                Text = "wrap",
                RoundId = round.Id,
                SenderIsAdmin = true,
                IdempotencyKey = $"group-round:{round.Id}:deadline",
                ReceivedAt = now,
                Reply = round.Routing,
            }, cancellationToken);
            if (queued)
            {
                Log.RoundDeadlineReached(logger, round.Id, round.Channel);
            }
        }

        foreach (var schedule in await rounds.DueSchedulesAsync(now, cancellationToken))
        {
            // Queued first, moved on second: a crash in between queues the same run again at the next check, and its
            // key (the run's own time) makes that a duplicate, so the day's round is neither lost nor doubled.
            await queue.EnqueueAsync(new CoachingTurn
            {
                Channel = schedule.Channel,
                TenantId = schedule.TenantId,
                UserId = schedule.CreatedBy,
                ConversationId = schedule.ConversationId,
                Intent = TurnIntent.Command,
                Text = $"group {schedule.Role}",
                IdempotencyKey = $"group-schedule:{schedule.Channel}:{schedule.ConversationId}:{schedule.NextRunAt.UtcTicks}",
                ReceivedAt = now,
                Reply = schedule.Routing,
            }, cancellationToken);
            var zone = TimeZoneInfo.TryFindSystemTimeZoneById(schedule.TimeZone, out var found) ? found : TimeZoneInfo.Utc;
            var next = GroupSchedules.NextRun(schedule.LocalTime, zone, now);
            if (await rounds.AdvanceScheduleAsync(schedule, schedule.NextRunAt, next, cancellationToken))
            {
                Log.QuestionOfTheDay(logger, schedule.Channel, schedule.ConversationId, next);
            }
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
