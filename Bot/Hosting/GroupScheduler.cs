using CoachBot.Coaching.Groups;
using CoachBot.Coaching.Queue;
using Microsoft.Extensions.Options;

namespace CoachBot.Bot.Hosting;

/// <summary>
/// Wraps group rounds whose deadline passed and starts the question of the day where a channel scheduled one. Both live
/// in the database, so a deadline or schedule reached while the bot was down is handled at the next start. The work goes
/// through the turn queue like a user's command (de-duplicated by a key per round or per scheduled run), so the same
/// replier posts it and a crash mid-way never posts it twice. Of several instances sharing one database, only the one
/// holding the scheduler's lease (<see cref="ISchedulerLease"/>, renewed at every check, running out after three checks
/// without one) does this work; when it dies another takes over. The keys stay the guarantee: a holder paused past its
/// lease may overlap with the next one, and each run is still queued once.
/// </summary>
internal sealed class GroupScheduler(
    IGroupRounds rounds,
    ITurnQueue queue,
    ISchedulerLease lease,
    IOptions<GroupOptions> options,
    TimeProvider time,
    ILogger<GroupScheduler> logger) : BackgroundService
{
    private bool _holding;

    /// <summary>How long the lease lasts without a renewal: three checks, so one slow check does not hand it over.</summary>
    internal TimeSpan LeaseDuration => TimeSpan.FromSeconds(3 * options.Value.CheckSeconds);

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

    /// <summary>
    /// When this instance holds (or takes) the scheduler's lease, queues a wrap for every overdue round and a round for
    /// every due schedule, and returns true; returns false, doing nothing, while another instance holds it.
    /// </summary>
    internal async Task<bool> RunDueAsync(CancellationToken cancellationToken)
    {
        var holding = await lease.TryHoldAsync(LeaseDuration, cancellationToken);
        if (holding != _holding)
        {
            Log.SchedulerLease(logger, lease.Owner, holding);
            _holding = holding;
        }

        if (!holding)
        {
            return false;
        }

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

        return true;
    }

    /// <summary>Stops checking and gives the lease up, so another instance takes over at its next check, not a lease later.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (!_holding)
        {
            return;
        }

        try
        {
            await lease.ReleaseAsync(cancellationToken);
            _holding = false;
        }
#pragma warning disable CA1031 // Not released: it runs out on its own, and another instance takes it then.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.GroupCheckFailed(logger, ex);
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
