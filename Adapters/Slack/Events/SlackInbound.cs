using System.Collections.Concurrent;
using System.Text.Json;
using CoachBot.Adapters.Slack.WebApi;
using CoachBot.Coaching.Queue;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CoachBot.Adapters.Slack.Events;

/// <summary>
/// Takes verified Slack payloads (from the HTTP endpoints or Socket Mode), maps them to turns and hands them to the
/// turn intake, which stores them before the caller acknowledges Slack; the placeholder is posted afterwards.
/// </summary>
internal sealed class SlackInbound(
    ITurnIntake intake,
    SlackWebApi api,
    SlackThreads threads,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<SlackInbound> logger)
{
    private readonly ConcurrentDictionary<Task, byte> _checks = new();

    /// <summary>Handles an Events API callback body; returns once the turn (if any) is stored.</summary>
    public async Task HandleEventAsync(JsonElement body, string? retryNum, CancellationToken cancellationToken)
    {
        var eventId = SlackTurns.Str(body, "event_id") ?? "?";
        if (retryNum is not null)
        {
            Log.EventRetried(logger, eventId, retryNum);
        }

        var mapped = SlackTurns.FromEventCallback(body, time.GetUtcNow());
        switch (mapped.Decision)
        {
            case EventDecision.Turn:
                await SubmitAsync(mapped.Turn!, cancellationToken);
                break;
            case EventDecision.TurnIfBotThread:
                // Whether the bot is in the thread may need a Web API call, which must not hold up the acknowledgement.
                var turn = mapped.Turn!;
                if (threads.Knows(turn.ConversationId, turn.ThreadId!))
                {
                    await SubmitAsync(turn, cancellationToken);
                }
                else
                {
                    Track(Task.Run(() => CheckThreadAndSubmitAsync(turn, SlackTurns.BotUserId(body)), CancellationToken.None));
                }

                break;
            default:
                Log.EventIgnored(logger, eventId, mapped.Reason);
                break;
        }
    }

    /// <summary>Handles a slash command's form fields.</summary>
    public async Task<bool> HandleCommandAsync(IReadOnlyDictionary<string, string> form, CancellationToken cancellationToken)
    {
        if (SlackTurns.FromCommand(form, time.GetUtcNow()) is not { } turn)
        {
            Log.EventIgnored(logger, "command", "missing user or channel");
            return false;
        }

        await SubmitAsync(turn, cancellationToken);
        return true;
    }

    /// <summary>Handles an interactivity payload (a button press).</summary>
    public async Task HandleInteractionAsync(JsonElement payload, CancellationToken cancellationToken)
    {
        if (SlackTurns.FromInteraction(payload, time.GetUtcNow()) is not { } turn)
        {
            Log.EventIgnored(logger, SlackTurns.Str(payload, "type") ?? "interaction", "not one of the reply buttons");
            return;
        }

        await SubmitAsync(turn, cancellationToken);
    }

    /// <summary>Completes when every background thread check has finished (for tests).</summary>
    public Task WhenIdleAsync() => Task.WhenAll(_checks.Keys);

    private async Task SubmitAsync(CoachingTurn turn, CancellationToken cancellationToken)
    {
        if (await intake.SubmitAsync(turn, PostPlaceholderAsync, cancellationToken))
        {
            Log.TurnQueued(logger, turn.IdempotencyKey, turn.Intent.ToString(), turn.Audio is not null);
        }
        else
        {
            Log.DuplicateTurn(logger, turn.IdempotencyKey);
        }
    }

    private async Task<IReadOnlyDictionary<string, string>> PostPlaceholderAsync(CoachingTurn turn, CancellationToken cancellationToken)
    {
        var text = turn.Intent == TurnIntent.Answer
            ? turn.Audio is not null ? "Listening to your answer…" : "Reading your answer…"
            : "One moment…";
        var channel = turn.Reply[SlackChannel.RouteChannel];
        var thread = turn.Reply.GetValueOrDefault(SlackChannel.RouteThread);
        SlackMessageRef posted;
        try
        {
            posted = await api.PostMessageAsync(channel, thread, text, null, cancellationToken);
        }
        catch (SlackApiException ex) when (turn.Reply.GetValueOrDefault(SlackChannel.RouteOrigin) == "command" && ex.Error is "channel_not_found" or "not_in_channel")
        {
            // A slash command from a channel the bot is not in: answer in the user's direct messages with the bot.
            posted = await api.PostMessageAsync(turn.UserId, null, text, null, cancellationToken);
        }

        threads.Remember(posted.Channel, thread ?? posted.Ts);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [SlackChannel.RouteChannel] = posted.Channel,
            [SlackChannel.RoutePlaceholder] = posted.Ts,
        };
    }

    private async Task CheckThreadAndSubmitAsync(CoachingTurn turn, string? botUserId)
    {
        var stopping = lifetime.ApplicationStopping;
        try
        {
            botUserId ??= await api.BotUserIdAsync(stopping);
            var messages = await api.RepliesAsync(turn.ConversationId, turn.ThreadId!, 50, stopping);
            if (messages.Any(m => m.User == botUserId))
            {
                threads.Remember(turn.ConversationId, turn.ThreadId);
                await SubmitAsync(turn, stopping);
            }
            else
            {
                Log.EventIgnored(logger, turn.IdempotencyKey, "a thread reply in a thread the bot is not part of");
            }
        }
#pragma warning disable CA1031 // A failed check drops one unaddressed thread message; it must not take anything else down.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ThreadCheckFailed(logger, ex, turn.IdempotencyKey);
        }
    }

    private void Track(Task task)
    {
        _checks[task] = 0;
        _ = task.ContinueWith(t => _checks.TryRemove(t, out _), TaskScheduler.Default);
    }
}
