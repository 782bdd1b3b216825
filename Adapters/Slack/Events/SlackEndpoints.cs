using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using CoachBot.Adapters.Slack.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Adapters.Slack.Events;

/// <summary>
/// <c>POST /slack/events</c>, <c>/slack/commands</c> and <c>/slack/interactions</c>. Each request's signature is
/// checked over the raw body before anything is parsed; the turn is stored, then Slack gets its 200 at once.
/// </summary>
internal static class SlackEndpoints
{
    private const int MaxBodyBytes = 1024 * 1024;

    public static async Task<IResult> EventsAsync(HttpContext context, SlackInbound inbound, IOptions<SlackOptions> options, TimeProvider time, ILoggerFactory loggers)
    {
        var (body, refusal) = await ReadVerifiedAsync(context, options.Value, time, loggers);
        if (refusal is not null)
        {
            return refusal;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return Results.BadRequest("The body is not JSON.");
        }

        using (document)
        {
            var root = document.RootElement;
            switch (SlackTurns.Str(root, "type"))
            {
                case "url_verification":
                    return Results.Text(SlackTurns.Str(root, "challenge") ?? string.Empty, "text/plain");
                case "event_callback":
                    await inbound.HandleEventAsync(root, context.Request.Headers["X-Slack-Retry-Num"].FirstOrDefault(), context.RequestAborted);
                    return Results.Ok();
                default:
                    return Results.Ok();
            }
        }
    }

    public static async Task<IResult> CommandsAsync(HttpContext context, SlackInbound inbound, IOptions<SlackOptions> options, TimeProvider time, ILoggerFactory loggers)
    {
        var (body, refusal) = await ReadVerifiedAsync(context, options.Value, time, loggers);
        if (refusal is not null)
        {
            return refusal;
        }

        // An empty 200 acknowledges the command without echoing it; the answer follows as a message.
        return await inbound.HandleCommandAsync(Form(body), context.RequestAborted)
            ? Results.Ok()
            : Results.BadRequest("The command has no user or channel.");
    }

    public static async Task<IResult> InteractionsAsync(HttpContext context, SlackInbound inbound, IOptions<SlackOptions> options, TimeProvider time, ILoggerFactory loggers)
    {
        var (body, refusal) = await ReadVerifiedAsync(context, options.Value, time, loggers);
        if (refusal is not null)
        {
            return refusal;
        }

        if (!Form(body).TryGetValue("payload", out var payload))
        {
            return Results.BadRequest("The body has no payload.");
        }

        try
        {
            using var document = JsonDocument.Parse(payload);
            await inbound.HandleInteractionAsync(document.RootElement, context.RequestAborted);
        }
        catch (JsonException)
        {
            return Results.BadRequest("The payload is not JSON.");
        }

        return Results.Ok();
    }

    private static async Task<(byte[] Body, IResult? Refusal)> ReadVerifiedAsync(HttpContext context, SlackOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("CoachBot.Adapters.Slack.Events");
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return ([], Results.StatusCode(StatusCodes.Status413PayloadTooLarge));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16_384];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return ([], Results.StatusCode(StatusCodes.Status413PayloadTooLarge));
            }

            buffer.Write(chunk, 0, read);
        }

        var body = buffer.ToArray();
        var timestamps = context.Request.Headers[SlackSignature.TimestampHeader];
        var signatures = context.Request.Headers[SlackSignature.SignatureHeader];
        // Two of either header is not something Slack sends; taking the first would let a relay pick which one counts.
        var result = timestamps.Count > 1 || signatures.Count > 1
            ? SignatureResult.Duplicated
            : SlackSignature.Verify(options.SigningSecret, timestamps.FirstOrDefault(), signatures.FirstOrDefault(), body, time.GetUtcNow());
        if (result != SignatureResult.Valid)
        {
            Log.RequestRefused(logger, context.Request.Path, result.ToString());
            return ([], Results.Unauthorized());
        }

        // Slack sends UTF-8 only; anything else is refused here rather than failing later while the payload is read.
        if (!Utf8.IsValid(body))
        {
            Log.RequestRefused(logger, context.Request.Path, "NotUtf8");
            return ([], Results.BadRequest("The body is not UTF-8."));
        }

        return (body, null);
    }

    private static Dictionary<string, string> Form(byte[] body) =>
        QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body))
            .ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
}
