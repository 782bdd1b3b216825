using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoachBot.Adapters.Teams.Auth;
using CoachBot.Cards.Adaptive;
using CoachBot.Adapters.Teams.Connector;
using CoachBot.Adapters.Teams.Protocol;
using CoachBot.Coaching.Groups;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Recordings;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Adapters.Teams;

/// <summary>
/// <c>POST /api/messages</c>: verifies the request, then acknowledges at once. Messages become queued turns
/// (de-duplicated by activity id; the placeholder is posted in the background), installs get a welcome card,
/// and the invokes that need an answer in the HTTP response (card buttons, the recorder dialog) get it.
/// </summary>
internal sealed class TeamsEndpoint(
    InboundAuthenticator authenticator,
    ITurnIntake intake,
    ITurnProcessor processor,
    IRecordingGrants grants,
    IGroupRounds rounds,
    PendingFeedback pending,
    TeamsReplier replier,
    ConnectorClient connector,
    RecentResults<JsonObject> recent,
    IInvokeClaims claims,
    IOptions<TeamsOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<TeamsEndpoint> logger)
{
    private const int MaxBodyBytes = 512 * 1024;

    /// <summary>How long a claim on an invoke or a welcome holds (Teams redelivers within minutes), as the in-memory results.</summary>
    private static readonly TimeSpan ClaimLifetime = TimeSpan.FromMinutes(10);

    /// <summary>How often an instance that lost an invoke's claim looks for the card the winner stores.</summary>
    private static readonly TimeSpan ClaimPoll = TimeSpan.FromMilliseconds(250);

    public async Task<IResult> HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        Activity? activity;
        try
        {
            activity = await JsonSerializer.DeserializeAsync<Activity>(context.Request.Body, ProtocolJson.Options, cancellationToken);
        }
        catch (JsonException)
        {
            activity = null;
        }

        // Authenticate even a malformed body, so that an unauthenticated caller learns nothing about parsing.
        var auth = await authenticator.AuthenticateAsync(
            context.Request.Headers.Authorization.ToString() is { Length: > 0 } header ? header : null,
            LocalCaller(context.Request, context.Connection.RemoteIpAddress), activity?.ChannelId, activity?.ServiceUrl, cancellationToken);
        if (!auth.Allowed)
        {
            return Results.StatusCode(auth.StatusCode);
        }

        if (activity?.Type is null)
        {
            return Results.BadRequest("The body is not a Bot Framework activity.");
        }

        var received = time.GetUtcNow();
        switch (activity.Type)
        {
            case ActivityTypes.Message:
                return await OnMessageAsync(activity, received, cancellationToken);
            case ActivityTypes.InstallationUpdate:
                OnInstallation(activity);
                return Results.Ok();
            case ActivityTypes.Invoke:
                return await OnInvokeAsync(activity, received, cancellationToken);
            default:
                // conversationUpdate and the rest: nothing to do (installs are answered on installationUpdate, which
                // Teams sends for every scope, so the welcome card is posted once).
                Log.ActivityIgnored(logger, activity.Type, activity.Id ?? "-", "not handled");
                return Results.Ok();
        }
    }

    private async Task<IResult> OnMessageAsync(Activity activity, DateTimeOffset received, CancellationToken cancellationToken)
    {
        if (ActivityTurns.FromMessage(activity, received, out var ignored, requireMention: false) is not { } turn)
        {
            Log.ActivityIgnored(logger, activity.Type!, activity.Id ?? "-", ignored);
            return Results.Ok();
        }

        var addressed = ActivityTurns.IsPersonal(activity) || turn.Intent == TurnIntent.CardAction || ActivityTurns.MentionsBot(activity);
        if (!ActivityTurns.IsPersonal(activity) && turn.Intent != TurnIntent.CardAction && await RoundOfAsync(turn, activity, cancellationToken) is { } round
            && (addressed || !round.Wrapped)
            && (turn.ThreadId is not null || turn.Intent == TurnIntent.Answer || ChatCommands.IsRoundCommand(turn.Text)))
        {
            // Everything said in a round's thread (in a group chat: every answer and round word while a round is
            // open) belongs to the round, mentioned or not. Card buttons keep their own meaning.
            turn = turn with
            {
                RoundId = round.Id,
                Intent = ChatCommands.IsRoundCommand(turn.Text) || ChatCommands.IsCommand(turn.Text) ? TurnIntent.Command : TurnIntent.Answer,
            };
        }
        else if (!addressed)
        {
            Log.ActivityIgnored(logger, activity.Type!, activity.Id ?? "-", "not addressed to the bot in a shared conversation");
            return Results.Ok();
        }

        turn = turn with { SenderIsAdmin = IsAdmin(activity) };

        if (turn.Text is { } text)
        {
            Log.MessageText(logger, text);
        }

        // The turn is stored before Teams is answered; the placeholder goes out afterwards in the background.
        if (await intake.SubmitAsync(turn, replier.PostPlaceholderAsync, cancellationToken))
        {
            Log.TurnQueued(logger, activity.Id!, turn.Intent.ToString());
        }
        else
        {
            Log.DuplicateActivity(logger, activity.Id!);
        }

        return Results.Ok();
    }

    private void OnInstallation(Activity activity)
    {
        if (activity.Action is not "add" || activity.ServiceUrl is null || activity.Conversation?.Id is null || activity.Id is null)
        {
            Log.ActivityIgnored(logger, activity.Type!, activity.Id ?? "-", $"installation action {activity.Action}");
            return;
        }

        var route = new ConversationRoute(activity.ServiceUrl, activity.Conversation.Id);
        var welcome = Activity.CardMessage(AdaptiveCards.Welcome(replier.CardOptions), "Welcome to CoachBot");
        var member = ActivityTurns.IsPersonal(activity) ? activity.From?.Id : null;
        var key = $"welcome:{activity.Conversation.Id}:{activity.Id}";
        // Posted after the acknowledgement; a redelivered install, on this instance or another, does not post a second card.
        _ = recent.GetOrRunAsync(key, () => Task.Run(async () =>
        {
            try
            {
                if (!(await claims.ClaimAsync(key, ClaimLifetime, lifetime.ApplicationStopping)).Claimed)
                {
                    Log.DuplicateActivity(logger, activity.Id);
                    return new JsonObject();
                }

                await connector.SendAsync(route, welcome, null, lifetime.ApplicationStopping);
            }
#pragma warning disable CA1031 // A welcome card is a courtesy: its failure is logged and the install stands.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.WelcomeFailed(logger, ex);
            }

            if (member is not null)
            {
                // Round feedback Teams would not let us send before the member had the app is sent now.
                try
                {
                    if (await replier.DeliverPendingAsync(route.ServiceUrl, route.ConversationId, member, lifetime.ApplicationStopping) is > 0 and var sent)
                    {
                        Log.PendingFeedbackSent(logger, sent);
                    }
                }
#pragma warning disable CA1031 // What was not sent stays kept, and goes out at the next install.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    Log.PendingFeedbackFailed(logger, ex);
                }
            }

            return new JsonObject();
        }));
    }

    private async Task<IResult> OnInvokeAsync(Activity activity, DateTimeOffset received, CancellationToken cancellationToken)
    {
        switch (activity.Name)
        {
            case "adaptiveCard/action":
                return await OnCardActionAsync(activity, received);
            case "task/fetch":
                return await OnRecordDialogAsync(activity, cancellationToken);
            case "task/submit":
                // The recorder page uploads the answer itself; submitting the dialog only closes it.
                return Results.Ok();
            default:
                Log.ActivityIgnored(logger, activity.Type!, activity.Id ?? "-", $"invoke {activity.Name}");
                return Results.StatusCode(StatusCodes.Status501NotImplemented);
        }
    }

    /// <summary>
    /// Action.Execute must be answered with the card in the HTTP response, so the command runs here, directly through
    /// the turn processor, rather than through the queue: card verbs (next, retry, hint, forget me confirm) never
    /// carry audio and take milliseconds (SQLite and the question bank), whereas waiting for the worker could mean
    /// queuing behind a voice answer that takes far longer than Teams waits. It runs under its own short timeout,
    /// and a redelivered invoke gets the same card instead of running the command twice.
    /// </summary>
    private async Task<IResult> OnCardActionAsync(Activity activity, DateTimeOffset received)
    {
        if (ActivityTurns.FromCardAction(activity, received, out var ignored) is not { } turn)
        {
            Log.ActivityIgnored(logger, activity.Type!, activity.Id ?? "-", ignored);
            return Results.Json(new JsonObject { ["statusCode"] = 400, ["type"] = "application/vnd.microsoft.error", ["value"] = new JsonObject { ["code"] = "BadRequest", ["message"] = ignored } });
        }

        var key = $"invoke:{turn.IdempotencyKey}";
        var card = await recent.GetOrRunAsync(turn.IdempotencyKey, async () =>
        {
            var seconds = options.Value.CardActionTimeoutSeconds;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
            timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
            TurnReply reply;
            var claimed = false;
            try
            {
                // One instance runs the command; one that Teams redelivered the invoke to answers with the card it stored.
                while (true)
                {
                    (claimed, var stored) = await claims.ClaimAsync(key, ClaimLifetime, timeout.Token);
                    if (claimed)
                    {
                        break;
                    }

                    if (stored is not null && JsonNode.Parse(stored) is JsonObject earlier)
                    {
                        Log.DuplicateActivity(logger, activity.Id ?? "-");
                        return earlier;
                    }

                    await Task.Delay(ClaimPoll, time, timeout.Token);
                }

                reply = await processor.ProcessAsync(turn with { SenderIsAdmin = IsAdmin(activity) }, timeout.Token);
                if (TeamsReplier.IsForgetConfirmed(turn, reply))
                {
                    await pending.RemoveAsync(turn.UserId, null, timeout.Token);
                }
            }
            catch (OperationCanceledException)
            {
                Log.CardActionTimedOut(logger, turn.Action!, seconds);
                recent.Forget(turn.IdempotencyKey);
                await ReleaseAsync(key, claimed);
                return AdaptiveCards.ForReply(
                    TurnReply.Failure("timeout", "That took longer than expected. Please press the button again in a moment."), replier.CardOptions);
            }
#pragma warning disable CA1031 // The invoke must still be answered with a card; the failure is logged and a retry runs again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.CardActionFailed(logger, ex, turn.Action!);
                recent.Forget(turn.IdempotencyKey);
                await ReleaseAsync(key, claimed);
                return AdaptiveCards.ForReply(
                    TurnReply.Failure("processing_failed", "Sorry, something went wrong on our side. Please press the button again in a minute."), replier.CardOptions);
            }

            var answer = AdaptiveCards.ForReply(reply, replier.CardOptions);
            try
            {
                await claims.CompleteAsync(key, answer.ToJsonString(), lifetime.ApplicationStopping);
            }
#pragma warning disable CA1031 // The command ran: the person gets its card; a redelivery elsewhere waits out the claim.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.CardActionFailed(logger, ex, turn.Action!);
            }

            return answer;
        });

        return Results.Json(new JsonObject
        {
            ["statusCode"] = 200,
            ["type"] = Attachment.AdaptiveCardType,
            ["value"] = card.DeepClone(),
        });
    }

    /// <summary>Gives up a claim this instance holds, so that the person's retry runs again on whichever instance gets it.</summary>
    private async Task ReleaseAsync(string key, bool claimed)
    {
        if (!claimed)
        {
            return;
        }

        try
        {
            await claims.ReleaseAsync(key, lifetime.ApplicationStopping);
        }
#pragma warning disable CA1031 // The claim then expires on its own; the person's card already says to try again.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.CardActionFailed(logger, ex, "release");
        }
    }

    /// <summary>The group round a shared conversation's message belongs to: its channel thread's, or a group chat's open one.</summary>
    private async Task<GroupRound?> RoundOfAsync(CoachingTurn turn, Activity activity, CancellationToken cancellationToken)
    {
        if (turn.ThreadId is { } thread)
        {
            return await rounds.FindByThreadAsync(TeamsChannel.Name, turn.ConversationId, thread, cancellationToken);
        }

        return activity.Conversation?.ConversationType == "groupChat"
            ? await rounds.FindOpenAsync(TeamsChannel.Name, turn.ConversationId, cancellationToken)
            : null;
    }

    private bool IsAdmin(Activity activity) =>
        activity.From?.AadObjectId is { Length: > 0 } aad && options.Value.AdminUserIds.Contains(aad, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// "Record my answer": a Teams dialog showing the bot's own recorder page. The page gets a short-lived token bound
    /// to this user, question and conversation; its upload becomes a turn answered in this chat. Opened from a group
    /// round's card (in its thread, or in a group chat with an open round), the grant names the round and its current
    /// question, so the recording is that member's answer in the round.
    /// </summary>
    private async Task<IResult> OnRecordDialogAsync(Activity activity, CancellationToken cancellationToken)
    {
        var baseUrl = options.Value.PublicBaseUrl;
        if (string.IsNullOrWhiteSpace(baseUrl) || activity.From?.Id is not { Length: > 0 } user || activity.Conversation?.Id is not { Length: > 0 } conversation
            || activity.ServiceUrl is null)
        {
            return Results.Json(new JsonObject
            {
                ["task"] = new JsonObject
                {
                    ["type"] = "message",
                    ["value"] = "Recording in Teams is not set up on this bot. Send an audio file in our chat, or type your answer.",
                },
            });
        }

        var where = new CoachingTurn
        {
            Channel = TeamsChannel.Name,
            UserId = user,
            ConversationId = ActivityTurns.ConversationOf(conversation),
            ThreadId = ActivityTurns.ThreadOf(conversation),
            Intent = TurnIntent.Answer,
            IdempotencyKey = string.Empty,
        };
        var round = ActivityTurns.IsPersonal(activity) ? null : await RoundOfAsync(where, activity, cancellationToken);
        var token = grants.Issue(new RecordingGrant
        {
            Channel = TeamsChannel.Name,
            TenantId = ActivityTurns.TenantOf(activity),
            UserId = user,
            ConversationId = where.ConversationId,
            ThreadId = where.ThreadId,
            QuestionId = round?.CurrentQuestionId ?? ActivityTurns.TaskQuestionId(activity),
            RoundId = round?.Id,
            Reply = ActivityTurns.RouteOf(activity),
        });
        var url = $"{baseUrl.TrimEnd('/')}/record?token={Uri.EscapeDataString(token)}";
        return Results.Json(new JsonObject
        {
            ["task"] = new JsonObject
            {
                ["type"] = "continue",
                ["value"] = new JsonObject
                {
                    ["title"] = "Record your answer",
                    ["url"] = url,
                    ["fallbackUrl"] = url,
                    ["height"] = "medium",
                    ["width"] = "medium",
                },
            },
        });
    }

    /// <summary>
    /// The caller's address as local development mode may trust it: a request relayed by a tunnel or reverse proxy on
    /// this machine also arrives from loopback, so it counts as local only with a loopback Host header and no
    /// forwarding headers (otherwise the address is withheld and development mode refuses it).
    /// </summary>
    private static IPAddress? LocalCaller(HttpRequest request, IPAddress? remote)
    {
        var host = request.Host.Host;
        var loopbackHost = host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
        var forwarded = request.Headers.ContainsKey("X-Forwarded-For") || request.Headers.ContainsKey("Forwarded") || request.Headers.ContainsKey("X-Forwarded-Host");
        return loopbackHost && !forwarded ? remote : null;
    }
}
