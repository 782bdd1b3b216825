using System.Text.Json.Nodes;
using CoachBot.Adapters.Slack.Rendering;
using CoachBot.Coaching.Queue;
using Microsoft.Extensions.Logging;

namespace CoachBot.Adapters.Slack.WebApi;

/// <summary>
/// Posts each of a turn's messages exactly once, whatever moment a crash comes at. Before a message is posted its slot
/// is written to the delivery ledger, the post carries message metadata naming the turn and the slot, and the message's
/// ts is written right after. A repeated delivery updates the message the ledger names; when the ledger shows a post
/// that never came back (the process died while it was in flight), the message is looked up by its metadata
/// (conversations.history or conversations.replies with include_all_metadata) and updated if Slack has it, and posted
/// only if it does not.
/// </summary>
internal sealed class SlackDelivery(SlackWebApi api, TimeProvider time, ILogger<SlackDelivery> logger, IDeliveryLedger? ledger = null)
{
    /// <summary>The metadata event type of every message CoachBot posts for a turn.</summary>
    public const string EventType = "coachbot_delivery";

    // A message in doubt was posted within moments of its slot being written; a page of 200 goes back far enough even
    // in a busy round thread, and the lookup stops after a few pages.
    private const int MaxPages = 5;
    private static readonly TimeSpan ClockSlack = TimeSpan.FromMinutes(2);
    private readonly IDeliveryLedger _ledger = ledger ?? new InMemoryDeliveryLedger(time);

    /// <summary>
    /// Posts a turn's placeholder into its main slot. Returns null, posting nothing, when the slot was started already
    /// (the reply got there first, or the placeholder was posted before).
    /// </summary>
    public async Task<SlackMessageRef?> PostPlaceholderAsync(string turnKey, string channel, string? thread, string text, CancellationToken cancellationToken)
    {
        var record = await _ledger.BeginAsync(turnKey, DeliverySlots.Main, channel, thread, null, cancellationToken);
        return record.State == DeliveryState.New ? await PostRecordedAsync(record, text, null, cancellationToken) : null;
    }

    /// <summary>Whether anything was ever started in the slot (a placeholder to replace, or a message that may exist).</summary>
    public async Task<bool> HasStartedAsync(string turnKey, string slot, CancellationToken cancellationToken) =>
        await _ledger.FindAsync(turnKey, slot, cancellationToken) is not null;

    /// <summary>
    /// Shows <paramref name="message"/> as the slot's one message: updates the message already posted for it (the ledger's,
    /// or <paramref name="knownTs"/> from the turn's routing), finds and updates one whose post was cut off by a crash, or
    /// posts a new one. Returns the message and the Web API method that showed it.
    /// </summary>
    public async Task<(SlackMessageRef Message, string Method)> DeliverAsync(
        string turnKey, string slot, string channel, string? thread, string? knownTs, SlackMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var record = await _ledger.BeginAsync(turnKey, slot, channel, thread, knownTs, cancellationToken);
        var ts = record.MessageId ?? await FindInDoubtAsync(record, cancellationToken);
        if (ts is not null)
        {
            try
            {
                await api.UpdateAsync(record.Conversation, ts, message.Text, message.Blocks, Metadata(record), cancellationToken);
                return (new SlackMessageRef(record.Conversation, ts), "chat.update");
            }
            catch (SlackApiException ex) when (ex.Error is "message_not_found" or "cant_update_message")
            {
                // Someone deleted the message: the reply is posted again.
            }
        }

        return (await PostRecordedAsync(record, message.Text, message.Blocks, cancellationToken), "chat.postMessage");
    }

    /// <summary>Deletes the slot's message, if one was posted (a placeholder whose answer goes elsewhere).</summary>
    public async Task DiscardAsync(string turnKey, string slot, string? knownTs, string channel, CancellationToken cancellationToken)
    {
        var record = await _ledger.FindAsync(turnKey, slot, cancellationToken);
        var conversation = record?.Conversation ?? channel;
        var ts = knownTs ?? record?.MessageId ?? (record is null ? null : await FindInDoubtAsync(record, cancellationToken));
        if (ts is not null)
        {
            try
            {
                await api.DeleteAsync(conversation, ts, cancellationToken);
            }
            catch (SlackApiException ex) when (ex.Error is "message_not_found" or "cant_delete_message")
            {
                // Already gone.
            }
        }
    }

    private async Task<string?> FindInDoubtAsync(DeliveryRecord record, CancellationToken cancellationToken)
    {
        if (record.State != DeliveryState.InDoubt)
        {
            return null;
        }

        string? ts;
        try
        {
            ts = await api.FindByMetadataAsync(
                record.Conversation, record.Thread, EventType, Payload(record), record.StartedAt - ClockSlack, MaxPages, cancellationToken);
        }
        catch (SlackApiException ex) when (Refused(ex.Error))
        {
            // The look-up is not allowed here (a group DM without mpim:history, a channel the bot left): the reply is
            // posted rather than lost.
            Log.DeliveryLookupRefused(logger, record.TurnKey, record.Slot, ex.Error);
            return null;
        }

        Log.DeliveryInDoubt(logger, record.TurnKey, record.Slot, ts is not null);
        if (ts is not null)
        {
            await _ledger.RecordAsync(record.TurnKey, record.Slot, record.Conversation, ts, CancellationToken.None);
        }

        return ts;
    }

    private async Task<SlackMessageRef> PostRecordedAsync(DeliveryRecord record, string text, JsonArray? blocks, CancellationToken cancellationToken)
    {
        SlackMessageRef posted;
        try
        {
            posted = await api.PostMessageAsync(record.Conversation, record.Thread, text, blocks, Metadata(record), cancellationToken);
        }
        catch (SlackApiException ex) when (Refused(ex.Error))
        {
            // Slack answered and did not post: nothing is left to find later.
            await _ledger.ForgetAsync(record.TurnKey, record.Slot, CancellationToken.None);
            throw;
        }

        // The ts is kept even when the caller is being cancelled: the message exists now.
        await _ledger.RecordAsync(record.TurnKey, record.Slot, posted.Channel, posted.Ts, CancellationToken.None);
        return posted;
    }

    /// <summary>An error Slack answered with (it did not act), as against one where the call may have reached it.</summary>
    private static bool Refused(string error) =>
        error is not ("http_unreachable" or "timeout" or "invalid_json" or "unknown") && !error.StartsWith("http_5", StringComparison.Ordinal);

    private static Dictionary<string, string> Payload(DeliveryRecord record) =>
        new(StringComparer.Ordinal) { ["turn"] = record.TurnKey, ["slot"] = record.Slot };

    private static JsonObject Metadata(DeliveryRecord record) => new()
    {
        ["event_type"] = EventType,
        ["event_payload"] = new JsonObject { ["turn"] = record.TurnKey, ["slot"] = record.Slot },
    };
}
