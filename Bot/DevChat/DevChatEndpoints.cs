using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CoachBot.Cards.Adaptive;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Plans;
using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Recordings;

namespace CoachBot.Bot.DevChat;

/// <summary>A typed message; <paramref name="Id"/> is chosen by the browser so a resent request is not coached twice.</summary>
internal sealed record DevMessage(string? Id, string? Text);

/// <summary>A card button pressed: the verb from the card's data, its question, and the button's title for the transcript.</summary>
internal sealed record DevAction(string? Id, string? Verb, string? QuestionId, string? Label);

/// <summary>Asks for a recorder link for the current (or the given) question.</summary>
internal sealed record DevRecordingRequest(string? QuestionId);

/// <summary>
/// The dev chat: the page at <c>/</c>, and under <c>/api/dev</c> the browser's messages, card actions, recorder links
/// and a Server-Sent Events stream of the conversation. Every request passes <see cref="DevChatAccess"/>. The POST
/// endpoints accept JSON bodies only, which a cross-site form cannot send without a CORS preflight this host never
/// grants.
/// </summary>
internal static partial class DevChatEndpoints
{
    public const int MaxTextLength = 10_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapDevChatPage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", (HttpContext context, DevChatAccess access, ILoggerFactory loggers) =>
        {
            var decision = access.Check(context);
            if (!decision.IsAllowed)
            {
                Log.DevAccessRefused(loggers.CreateLogger(typeof(DevChatEndpoints).FullName!), DevChatAccess.ClientOf(context).Address, decision.Status);
                SetRetryAfter(context, decision);
                return decision.Status == StatusCodes.Status401Unauthorized
                    ? Results.Content(TokenForm(decision.Message!), "text/html; charset=utf-8", Encoding.UTF8, decision.Status)
                    : Results.Text(decision.Message, "text/plain; charset=utf-8", Encoding.UTF8, decision.Status);
            }

            if (access.CameWithQueryToken(context))
            {
                // Keep the token in a cookie and take it out of the address bar and history.
                context.Response.Cookies.Append(DevChatAccess.CookieName, context.Request.Query[DevChatAccess.QueryName].ToString(), new CookieOptions
                {
                    HttpOnly = true,
                    SameSite = SameSiteMode.Strict,
                    Secure = context.Request.IsHttps,
                    IsEssential = true,
                });
                return Results.Redirect("/");
            }

            DevUser.Ensure(context);
            context.Response.Headers.ContentSecurityPolicy = PageSecurityPolicy("'none'");
            return DevChatAssets.Serve("index.html", context);
        }).ExcludeFromDescription();
        return endpoints;
    }

    public static IEndpointRouteBuilder MapDevChatApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/dev").AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            var decision = context.RequestServices.GetRequiredService<DevChatAccess>().Check(context);
            if (!decision.IsAllowed)
            {
                Log.DevAccessRefused(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DevChatEndpoints).FullName!),
                    DevChatAccess.ClientOf(context).Address, decision.Status);
                SetRetryAfter(context, decision);
                return Error(decision.Status, decision.Status == StatusCodes.Status429TooManyRequests ? "too_many_guesses" : "access_denied", decision.Message!);
            }

            return DevUser.Get(context) is null
                ? Error(StatusCodes.Status400BadRequest, "no_user", "This browser has no dev chat identity yet. Reload the page.")
                : await next(invocation);
        });

        api.MapPost("/messages", SendMessageAsync);
        api.MapPost("/actions", PressButtonAsync);
        api.MapPost("/recordings", IssueRecorderLink);
        api.MapPost("/documents", UploadDocumentAsync);
        api.MapGet("/events", StreamAsync);
        return endpoints;
    }

    /// <summary>The Content-Security-Policy of the dev chat and recorder pages: scripts and styles from this host only.</summary>
    public static string PageSecurityPolicy(string frameAncestors) =>
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; media-src 'self' blob:; " +
        $"connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors {frameAncestors}";

    private static void SetRetryAfter(HttpContext context, DevChatDecision decision)
    {
        if (decision.RetryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = ((int)wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }
    }

    public static IResult Error(int status, string code, string message) =>
        Results.Json(new { error = code, message }, Json, statusCode: status);

    private static async Task<IResult> SendMessageAsync(DevMessage message, HttpContext context, ITurnIntake intake, IDevChatLog conversations, TimeProvider time, ILoggerFactory loggers)
    {
        var text = message.Text?.Trim();
        if (!IsClientId(message.Id) || string.IsNullOrEmpty(text) || text.Length > MaxTextLength)
        {
            return Error(StatusCodes.Status400BadRequest, "bad_message", $"Send an id and a text of 1 to {MaxTextLength} characters.");
        }

        var user = DevUser.Get(context)!;
        var turn = NewTurn(user, $"dev:{user}:{message.Id}", time) with
        {
            Intent = ChatCommands.IsCommand(text) ? TurnIntent.Command : TurnIntent.Answer,
            Text = text,
        };
        return await SubmitAsync(turn, text, intake, conversations, loggers, context.RequestAborted);
    }

    private static async Task<IResult> PressButtonAsync(DevAction action, HttpContext context, ITurnIntake intake, IDevChatLog conversations, TimeProvider time, ILoggerFactory loggers)
    {
        var verb = action.Verb?.Trim();
        var known = verb is CardVerbs.Next or CardVerbs.Retry or CardVerbs.Hint or CardVerbs.ForgetConfirm || ChatCommands.IsCommand(verb);
        if (!IsClientId(action.Id) || verb is null || !known || action.QuestionId is { Length: > 100 })
        {
            return Error(StatusCodes.Status400BadRequest, "bad_action", "Unknown card action.");
        }

        var user = DevUser.Get(context)!;
        var turn = NewTurn(user, $"dev:{user}:{action.Id}", time) with
        {
            Intent = TurnIntent.CardAction,
            Action = verb,
            QuestionId = string.IsNullOrWhiteSpace(action.QuestionId) ? null : action.QuestionId,
        };
        var label = string.IsNullOrWhiteSpace(action.Label) ? verb : action.Label.Trim();
        return await SubmitAsync(turn, label.Length > 100 ? label[..100] : label, intake, conversations, loggers, context.RequestAborted);
    }

    /// <summary>The header a document upload must carry: a cross-site form cannot set it without a CORS preflight this host never grants.</summary>
    public const string UploadHeader = "X-CoachBot-Upload";

    /// <summary>
    /// A résumé or job description for an interview plan: multipart with the file in <c>document</c>, the browser's
    /// message id in <c>id</c> and optional words in <c>text</c> ("job" marks a job description). The file is kept only
    /// until its turn reads it.
    /// </summary>
    private static async Task<IResult> UploadDocumentAsync(
        HttpContext context, IDocumentUploads uploads, ITurnIntake intake, IDevChatLog conversations, TimeProvider time, ILoggerFactory loggers)
    {
        if (context.Request.Headers[UploadHeader].ToString() != "1")
        {
            return Error(StatusCodes.Status400BadRequest, "missing_header", $"Send the upload with the header {UploadHeader}: 1.");
        }

        if (!context.Request.HasFormContentType)
        {
            return Error(StatusCodes.Status400BadRequest, "not_multipart", "Send the document as multipart/form-data with the file in the field 'document'.");
        }

        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = uploads.MaxBytes + (1024 * 1024);
        }

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(context.RequestAborted);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException)
        {
            return Error(StatusCodes.Status413PayloadTooLarge, "too_large", $"That file is larger than {uploads.MaxBytes / (1024 * 1024)} MB.");
        }

        var id = form["id"].ToString();
        var text = form["text"].ToString().Trim();
        if (!IsClientId(id) || form.Files.GetFile("document") is not { } file || text.Length > 200)
        {
            return Error(StatusCodes.Status400BadRequest, "bad_document", "Send an id and a file in the field 'document'.");
        }

        Coaching.Queue.AudioReference stored;
        try
        {
            await using var content = file.OpenReadStream();
            stored = await uploads.SaveAsync(content, file.FileName, file.ContentType, context.RequestAborted);
        }
        catch (DocumentRefusedException ex)
        {
            return Error(StatusCodes.Status413PayloadTooLarge, ex.Code, ex.Message);
        }

        var user = DevUser.Get(context)!;
        var turn = NewTurn(user, $"dev:{user}:{id}", time) with
        {
            Intent = TurnIntent.Command,
            Text = text.Length == 0 ? null : text,
            Document = stored,
        };
        var shownName = Path.GetFileName(file.FileName);
        return await SubmitAsync(turn, $"File: {(shownName.Length > 80 ? shownName[..80] : shownName)}", intake, conversations, loggers, context.RequestAborted);
    }

    private static IResult IssueRecorderLink(DevRecordingRequest? request, HttpContext context, IRecordingGrants grants)
    {
        var user = DevUser.Get(context)!;
        var questionId = string.IsNullOrWhiteSpace(request?.QuestionId) || request.QuestionId.Length > 100 ? null : request.QuestionId;
        var token = grants.Issue(new RecordingGrant
        {
            Channel = DevChatReplier.ChannelName,
            TenantId = DevChatReplier.Tenant,
            UserId = user,
            ConversationId = user,
            QuestionId = questionId,
        });
        return Results.Json(new { token, url = "/record?embed=dev&token=" + Uri.EscapeDataString(token) }, Json);
    }

    private static async Task StreamAsync(HttpContext context, IDevChatLog conversations, IHostApplicationLifetime lifetime, ILoggerFactory loggers)
    {
        var user = DevUser.Get(context)!;
        var epoch = await conversations.GetEpochAsync(context.RequestAborted);
        var after = ResumeAfter(context.Request, epoch);
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var cancellationToken = stop.Token;
        try
        {
            await response.WriteAsync($"retry: 2000\nevent: hello\ndata: {JsonSerializer.Serialize(new { epoch, welcome = AdaptiveCards.Welcome(DevChatReplier.Options) }, Json)}\n\n", cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
            while (!cancellationToken.IsCancellationRequested)
            {
                var (entries, changed) = await conversations.AfterAsync(user, after, cancellationToken);
                if (entries.Count > 0)
                {
                    var batch = new StringBuilder();
                    foreach (var entry in entries)
                    {
                        batch.Append(CultureInfo.InvariantCulture, $"id: {epoch}:{entry.Id}\ndata: {JsonSerializer.Serialize(entry, Json)}\n\n");
                        after = entry.Id;
                    }

                    await response.WriteAsync(batch.ToString(), cancellationToken);
                    await response.Body.FlushAsync(cancellationToken);
                    continue;
                }

                // Wake on the next entry; a comment every 15 s keeps proxies from closing an idle stream.
                if (await Task.WhenAny(changed, Task.Delay(TimeSpan.FromSeconds(15), cancellationToken)) != changed && !cancellationToken.IsCancellationRequested)
                {
                    await response.WriteAsync(": keep-alive\n\n", cancellationToken);
                    await response.Body.FlushAsync(cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The browser went away or the host is stopping; EventSource reconnects with Last-Event-ID.
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            // The shared database (PostgreSQL) could not be read: end this stream, and the browser's EventSource reconnects
            // after the retry time with its Last-Event-ID, so nothing is lost once the database answers again.
            Log.DevStreamFailed(loggers.CreateLogger(typeof(DevChatEndpoints).FullName!), ex);
        }
    }

    /// <summary>The last entry the browser saw in this process (<c>epoch:id</c>), or 0 to send everything kept.</summary>
    private static long ResumeAfter(HttpRequest request, string epoch)
    {
        var last = request.Headers["Last-Event-ID"].ToString();
        if (last.Length == 0)
        {
            last = request.Query["after"].ToString();
        }

        var colon = last.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && last[..colon] == epoch && long.TryParse(last.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0;
    }

    private static async Task<IResult> SubmitAsync(CoachingTurn turn, string shown, ITurnIntake intake, IDevChatLog conversations, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        // The user's own message is shown in the "placeholder" step, which runs before the worker may take the turn:
        // added afterwards, a fast reply (a command takes milliseconds) could appear above the message it answers.
        var stored = await intake.SubmitAsync(turn, async (queued, ct) =>
        {
            await conversations.AddUserAsync(queued.ConversationId, queued.IdempotencyKey, shown, ct);
            return new Dictionary<string, string>();
        }, cancellationToken);
        if (!stored)
        {
            return Results.Json(new { status = "duplicate", turnKey = turn.IdempotencyKey }, Json);
        }

        var logger = loggers.CreateLogger(typeof(DevChatEndpoints).FullName!);
        Log.DevTurnAccepted(logger, turn.Intent.ToString(), turn.IdempotencyKey);
        Log.DevTurnText(logger, turn.IdempotencyKey, shown);
        return Results.Json(new { status = "accepted", turnKey = turn.IdempotencyKey }, Json, statusCode: StatusCodes.Status202Accepted);
    }

    private static CoachingTurn NewTurn(string user, string key, TimeProvider time) => new()
    {
        Channel = DevChatReplier.ChannelName,
        TenantId = DevChatReplier.Tenant,
        UserId = user,
        ConversationId = user,
        IsDirect = true,
        Intent = TurnIntent.Answer,
        IdempotencyKey = key,
        ReceivedAt = time.GetUtcNow(),
    };

    private static bool IsClientId(string? id) => id is not null && ClientIdPattern().IsMatch(id);

    private static string TokenForm(string message) => $$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>CoachBot dev chat</title>
        <meta name="viewport" content="width=device-width, initial-scale=1"></head>
        <body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 4rem auto;">
        <h1>CoachBot dev chat</h1>
        <p>{{WebUtility.HtmlEncode(message)}}</p>
        <form method="get" action="/"><label>Access token <input name="access" type="password" autocomplete="off" required></label>
        <button type="submit">Open</button></form>
        </body></html>
        """;

    [GeneratedRegex("^[A-Za-z0-9_-]{8,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex ClientIdPattern();
}
