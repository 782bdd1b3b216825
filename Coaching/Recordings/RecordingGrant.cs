using System.ComponentModel.DataAnnotations;

namespace CoachBot.Coaching.Recordings;

/// <summary>
/// Permission to upload one recorded answer from the recorder page, and where its reply goes. A channel issues it
/// (the Teams "Record my answer" dialog, the web dev chat) and the upload endpoint turns it back into a turn for that
/// user, conversation and question; the page never chooses any of these itself.
/// </summary>
public sealed record RecordingGrant
{
    /// <summary>The channel whose replier answers: teams, dev.</summary>
    public required string Channel { get; init; }

    /// <summary>The Slack workspace or Teams tenant, if any.</summary>
    public string? TenantId { get; init; }

    /// <summary>The user the recording is coached for.</summary>
    public required string UserId { get; init; }

    /// <summary>The conversation the reply goes to.</summary>
    public required string ConversationId { get; init; }

    /// <summary>The thread, where the channel has threads.</summary>
    public string? ThreadId { get; init; }

    /// <summary>The question being answered; null means the user's current question.</summary>
    public string? QuestionId { get; init; }

    /// <summary>The group round the recording answers, when the recorder was opened from a round's card (the turn gets it).</summary>
    public long? RoundId { get; init; }

    /// <summary>Channel routing copied into the turn's reply routing (a service URL, a conversation reference).</summary>
    public IReadOnlyDictionary<string, string> Reply { get; init; } = new Dictionary<string, string>();

    /// <summary>A random id: one grant yields at most one coached answer (it becomes the turn's idempotency key).</summary>
    public string Nonce { get; init; } = string.Empty;

    /// <summary>When the grant stops being accepted.</summary>
    public DateTimeOffset ExpiresAt { get; init; }
}

/// <summary>Settings of recorder-page uploads.</summary>
public sealed class RecordingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Recordings";

    /// <summary>
    /// Base64 key (at least 32 bytes) that signs recording grants. Leave empty for a random key per process: grants
    /// then stop working at a restart, which only matters for dialogs open at that moment. Set it when several
    /// instances serve the same bot.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>How long a grant stays valid after the dialog opened.</summary>
    [Range(30, 3_600)]
    public int GrantLifetimeSeconds { get; set; } = 900;
}
