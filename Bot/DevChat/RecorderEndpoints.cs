using System.Text.Json;
using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Recordings;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CoachBot.Bot.DevChat;

/// <summary>
/// The recorder page and its upload endpoint, shared by every channel that issues recording grants (the dev chat,
/// the Teams "Record my answer" dialog). Always served: the signed grant in the link is the authorization, and it
/// decides the user, conversation, question and reply channel; the page never chooses them.
/// </summary>
internal static class RecorderEndpoints
{
    /// <summary>Where the recorder page may be framed: this host (the dev chat) and the Teams clients (the dialog).</summary>
    public const string FrameAncestors =
        "'self' https://teams.microsoft.com https://*.teams.microsoft.com https://teams.cloud.microsoft https://*.cloud.microsoft https://*.office.com https://*.skype.com";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapRecorder(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/record", (HttpContext context) =>
        {
            context.Response.Headers.ContentSecurityPolicy = DevChatEndpoints.PageSecurityPolicy(FrameAncestors);
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            return DevChatAssets.Serve("recorder.html", context);
        }).ExcludeFromDescription();

        endpoints.MapGet("/assets/{name}", (string name, HttpContext context) => DevChatAssets.Serve(name, context)).ExcludeFromDescription();
        endpoints.MapGet("/api/recordings/grant", DescribeGrant);
        endpoints.MapPost("/api/recordings", UploadAsync);
        return endpoints;
    }

    /// <summary>What the page shows before recording: the question and the size limit; 401 when the link is not valid.</summary>
    private static IResult DescribeGrant(string? token, IRecordingGrants grants, IQuestionBank bank, IOptions<AudioOptions> audio, TimeProvider time)
    {
        if (grants.Validate(token, out var reason) is not { } grant)
        {
            return DevChatEndpoints.Error(StatusCodes.Status401Unauthorized, "invalid_token", reason);
        }

        var question = grant.QuestionId is { } id ? bank.Find(id) : null;
        return Results.Json(new
        {
            channel = grant.Channel,
            question = question is null ? null : new { id = question.Id, text = question.Text },
            expiresInSeconds = (int)Math.Max(0, (grant.ExpiresAt - time.GetUtcNow()).TotalSeconds),
            maxBytes = audio.Value.MaxSizeBytes,
        }, Json);
    }

    private static async Task<IResult> UploadAsync(
        string? token,
        HttpContext context,
        IRecordingGrants grants,
        IRecordingStore store,
        ITurnIntake intake,
        IEnumerable<ITurnReplier> repliers,
        IDevChatLog conversations,
        IOptions<AudioOptions> audio,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(RecorderEndpoints).FullName!);
        IResult Refuse(int status, string code, string message)
        {
            Log.RecordingRefused(logger, code);
            return DevChatEndpoints.Error(status, code, message);
        }

        // The grant is checked before a byte of the body is read.
        if (grants.Validate(token, out var reason) is not { } grant)
        {
            return Refuse(StatusCodes.Status401Unauthorized, "invalid_token", reason);
        }

        if (!repliers.Any(r => r.Channel == grant.Channel))
        {
            return Refuse(StatusCodes.Status400BadRequest, "unknown_channel", $"This bot does not answer on '{grant.Channel}' any more. Open the recorder again from the chat.");
        }

        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType) ||
            !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase) ||
            HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return Refuse(StatusCodes.Status400BadRequest, "not_multipart", "Send the recording as multipart/form-data with the file in the field 'audio'.");
        }

        var limit = audio.Value.MaxSizeBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            // The store enforces the audio limit; the server's own limit just has to let that much through.
            bodyLimit.MaxRequestBodySize = limit + (1024 * 1024);
        }

        var tooLarge = $"That recording is larger than {limit / (1024 * 1024)} MB. Please record a shorter answer.";
        AudioReference? stored = null;
        try
        {
            var reader = new MultipartReader(boundary, context.Request.Body);
            while (await reader.ReadNextSectionAsync(context.RequestAborted) is { } section)
            {
                if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) &&
                    disposition.IsFileDisposition() &&
                    HeaderUtilities.RemoveQuotes(disposition.Name).Value == "audio")
                {
                    var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                    stored = await store.SaveAsync(section.Body, section.ContentType, fileName, context.RequestAborted);
                    break;
                }
            }
        }
        catch (AudioRejectedException ex)
        {
            var status = ex.Code == "audio_too_large" ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest;
            return Refuse(status, ex.Code, ex.Message);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Refuse(StatusCodes.Status413PayloadTooLarge, "audio_too_large", tooLarge);
        }
        catch (InvalidDataException)
        {
            return Refuse(StatusCodes.Status400BadRequest, "bad_upload", "The upload could not be read. Please try sending it again.");
        }

        if (stored is null)
        {
            return Refuse(StatusCodes.Status400BadRequest, "no_audio", "The upload has no file in the field 'audio'. Record or choose a file, then send it.");
        }

        var turn = new CoachingTurn
        {
            Channel = grant.Channel,
            TenantId = grant.TenantId,
            UserId = grant.UserId,
            ConversationId = grant.ConversationId,
            ThreadId = grant.ThreadId,
            Intent = TurnIntent.Answer,
            Audio = stored,
            FromRecorder = true,
            QuestionId = grant.QuestionId,
            RoundId = grant.RoundId,
            IdempotencyKey = "recording:" + grant.Nonce,
            ReceivedAt = time.GetUtcNow(),
            Reply = grant.Reply,
        };
        if (!await intake.SubmitAsync(turn, null, CancellationToken.None))
        {
            await store.DeleteAsync(stored.Location, CancellationToken.None);
            return Refuse(StatusCodes.Status409Conflict, "already_sent", "This answer was already sent. To record another, open the recorder again from the chat.");
        }

        Log.RecordingQueued(logger, stored.SizeBytes ?? 0, grant.Channel, turn.IdempotencyKey);
        if (grant.Channel == DevChatReplier.ChannelName)
        {
            var shownSize = stored.SizeBytes is { } bytes ? $" ({Math.Max(1, bytes / 1024)} KB)" : string.Empty;
            await conversations.AddUserAsync(grant.ConversationId, turn.IdempotencyKey, $"Voice answer{shownSize}", CancellationToken.None);
        }

        return Results.Json(new
        {
            status = "accepted",
            turnKey = turn.IdempotencyKey,
            message = "Your answer was sent. The feedback will appear in the chat.",
        }, Json, statusCode: StatusCodes.Status202Accepted);
    }
}
