using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoachBot.Adapters.Slack.Security;

namespace CoachBot.Adapters.Slack.Tests.Support;

/// <summary>Builders for what Slack sends: event callbacks, commands, block actions, and signed requests.</summary>
public static class SlackPayloads
{
    public const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    public const string Team = "T0001";
    public const string BotUser = "UBOT";

    public static JsonObject Message(string text, string user = "U123", string channel = "D0001", string ts = "1700000100.000100",
        string channelType = "im", string? threadTs = null, string eventId = "Ev0001", string type = "message", JsonArray? files = null, string? subtype = null, string? botId = null)
    {
        var e = new JsonObject { ["type"] = type, ["user"] = user, ["text"] = text, ["ts"] = ts, ["channel"] = channel, ["channel_type"] = channelType, ["team"] = Team };
        if (threadTs is not null)
        {
            e["thread_ts"] = threadTs;
        }

        if (files is not null)
        {
            e["files"] = files;
        }

        if (subtype is not null)
        {
            e["subtype"] = subtype;
        }

        if (botId is not null)
        {
            e["bot_id"] = botId;
        }

        return new JsonObject
        {
            ["token"] = "unused",
            ["team_id"] = Team,
            ["api_app_id"] = "A0001",
            ["type"] = "event_callback",
            ["event_id"] = eventId,
            ["event_time"] = 1_700_000_100,
            ["event"] = e,
            ["authorizations"] = new JsonArray(new JsonObject { ["team_id"] = Team, ["user_id"] = BotUser, ["is_bot"] = true }),
        };
    }

    /// <summary>A Slack voice clip (subtype slack_audio) as a file_share message.</summary>
    public static JsonObject VoiceClip(Uri download, long size, string ts = "1700000200.000200", string eventId = "Ev0002",
        string user = "U123", string channel = "D0001", string channelType = "im", string? threadTs = null) =>
        Message(string.Empty, user: user, channel: channel, channelType: channelType, threadTs: threadTs, ts: ts, eventId: eventId, subtype: "file_share", files: new JsonArray(new JsonObject
        {
            ["id"] = "F0001",
            ["name"] = "audio_message.mp4",
            ["mimetype"] = "audio/mp4",
            ["filetype"] = "mp4",
            ["subtype"] = "slack_audio",
            ["size"] = size,
            ["url_private"] = download.ToString(),
            ["url_private_download"] = download.ToString(),
        }));

    public static Dictionary<string, string> Command(string text, string user = "U123", string channel = "D0001", string trigger = "trig-1") => new()
    {
        ["token"] = "unused",
        ["team_id"] = Team,
        ["channel_id"] = channel,
        ["user_id"] = user,
        ["command"] = "/coach",
        ["text"] = text,
        ["trigger_id"] = trigger,
        ["response_url"] = "https://hooks.slack.com/commands/unused",
    };

    public static JsonObject ButtonPress(string actionId, string? value, string messageTs = "1700000300.000300", string? threadTs = "1700000100.000100",
        string user = "U123", string channel = "D0001", string actionTs = "1700000301.000001")
    {
        var action = new JsonObject { ["action_id"] = actionId, ["block_id"] = "coach_actions", ["type"] = "button", ["action_ts"] = actionTs };
        if (value is not null)
        {
            action["value"] = value;
        }

        var container = new JsonObject { ["type"] = "message", ["message_ts"] = messageTs, ["channel_id"] = channel, ["is_ephemeral"] = false };
        var message = new JsonObject { ["type"] = "message", ["ts"] = messageTs, ["user"] = BotUser };
        if (threadTs is not null)
        {
            container["thread_ts"] = threadTs;
            message["thread_ts"] = threadTs;
        }

        return new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = new JsonObject { ["id"] = user, ["team_id"] = Team },
            ["team"] = new JsonObject { ["id"] = Team },
            ["channel"] = new JsonObject { ["id"] = channel },
            ["container"] = container,
            ["message"] = message,
            ["trigger_id"] = "trig-button",
            ["actions"] = new JsonArray(action),
        };
    }

    public static string Form(IEnumerable<KeyValuePair<string, string>> fields) =>
        string.Join('&', fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));

    public static string InteractionForm(JsonObject payload) => Form([KeyValuePair.Create("payload", payload.ToJsonString())]);

    /// <summary>A request signed the way Slack signs it (with <paramref name="secret"/> at <paramref name="at"/>).</summary>
    public static HttpRequestMessage SignedRequest(string path, string body, string contentType, string? secret = Secret, DateTimeOffset? at = null, int? retryNum = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (secret is not null)
        {
            var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            request.Headers.Add(SlackSignature.TimestampHeader, timestamp);
            request.Headers.Add(SlackSignature.SignatureHeader, SlackSignature.Compute(secret, timestamp, Encoding.UTF8.GetBytes(body)));
        }

        if (retryNum is not null)
        {
            request.Headers.Add("X-Slack-Retry-Num", retryNum.Value.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
        }

        return request;
    }

    public static HttpRequestMessage SignedEvent(JsonObject callback, string? secret = Secret, DateTimeOffset? at = null, int? retryNum = null) =>
        SignedRequest("/slack/events", callback.ToJsonString(), "application/json", secret, at, retryNum);

    public static JsonElement Element(JsonObject node) => JsonDocument.Parse(node.ToJsonString()).RootElement;
}
