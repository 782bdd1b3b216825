using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace CoachBot.Bot.DevChat;

/// <summary>One line of a dev chat conversation: the user's message or a reply card.</summary>
/// <param name="Id">Increasing within this process; browsers resume after the last id they saw.</param>
/// <param name="Role"><c>user</c> or <c>bot</c>.</param>
/// <param name="TurnKey">The turn's idempotency key: a reply answers the user entry with the same key.</param>
/// <param name="Text">The user's text, or the reply's plain-text fallback.</param>
/// <param name="Kind">The reply kind (Report, Question, ...), for replies.</param>
/// <param name="QuestionId">The question a reply is about, if any.</param>
/// <param name="Card">The Adaptive Card, for replies.</param>
/// <param name="At">When the entry was added.</param>
internal sealed record DevChatEntry(long Id, string Role, string TurnKey, string Text, string? Kind, string? QuestionId, JsonObject? Card, DateTimeOffset At)
{
    /// <summary>True on the reply to a confirmed "forget me": the page clears the conversation shown above it.</summary>
    public bool Forgotten { get; init; }
}

/// <summary>
/// Where the dev chat keeps its conversations: the browser's messages (added by the instance that took them) and the
/// replies (added by the instance whose worker coached them), read by the instance holding the browser's stream.
/// </summary>
internal interface IDevChatLog
{
    /// <summary>Names the entries' ids: a browser holding ids of another epoch starts over.</summary>
    Task<string> GetEpochAsync(CancellationToken cancellationToken);

    /// <summary>Adds the user's message of a turn.</summary>
    Task AddUserAsync(string conversationId, string turnKey, string text, CancellationToken cancellationToken);

    /// <summary>
    /// Adds a reply; a reply delivered again for the same turn replaces the earlier one. A <paramref name="forgotten"/>
    /// reply (a confirmed "forget me") first drops everything of the conversation but its own turn.
    /// </summary>
    Task AddReplyAsync(string conversationId, string turnKey, string kind, string text, string? questionId, JsonObject card, bool forgotten, CancellationToken cancellationToken);

    /// <summary>The entries after <paramref name="afterId"/>, and a task that completes when the next one may have arrived.</summary>
    Task<(IReadOnlyList<DevChatEntry> Entries, Task Changed)> AfterAsync(string conversationId, long afterId, CancellationToken cancellationToken);
}

/// <summary>
/// The dev chat's conversations on one instance, in memory and bounded: each keeps its last entries so a browser that
/// reconnects or reloads gets every reply it missed; the least recently used conversation goes first when there are too
/// many. Instances sharing a database use <see cref="SharedDevConversations"/> instead.
/// </summary>
internal sealed class DevConversations(IOptions<DevChatOptions> options, TimeProvider time) : IDevChatLog
{
    private readonly Dictionary<string, Conversation> _conversations = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _lastId;

    /// <summary>Names this process's ids: a browser holding ids of an earlier process starts over.</summary>
    public string Epoch { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public Task<string> GetEpochAsync(CancellationToken cancellationToken) => Task.FromResult(Epoch);

    public Task AddUserAsync(string conversationId, string turnKey, string text, CancellationToken cancellationToken)
    {
        AddUser(conversationId, turnKey, text);
        return Task.CompletedTask;
    }

    public Task AddReplyAsync(string conversationId, string turnKey, string kind, string text, string? questionId, JsonObject card, bool forgotten, CancellationToken cancellationToken)
    {
        if (forgotten)
        {
            Forget(conversationId, turnKey);
        }

        AddReply(conversationId, turnKey, kind, text, questionId, card, forgotten);
        return Task.CompletedTask;
    }

    public Task<(IReadOnlyList<DevChatEntry> Entries, Task Changed)> AfterAsync(string conversationId, long afterId, CancellationToken cancellationToken) =>
        Task.FromResult(After(conversationId, afterId));

    public DevChatEntry AddUser(string conversationId, string turnKey, string text) =>
        Add(conversationId, (id, at) => new DevChatEntry(id, "user", turnKey, text, null, null, null, at));

    /// <summary>Adds a reply; a reply delivered again for the same turn replaces the earlier one.</summary>
    public DevChatEntry AddReply(string conversationId, string turnKey, string kind, string text, string? questionId, JsonObject card, bool forgotten = false) =>
        Add(conversationId, (id, at) => new DevChatEntry(id, "bot", turnKey, text, kind, questionId, card, at) { Forgotten = forgotten });

    /// <summary>
    /// Drops everything kept of a conversation before the entry of <paramref name="keepTurnKey"/> (the user's "forget me
    /// confirm"): after "forget me" a reload shows nothing of what was deleted. Browsers holding the old entries are told
    /// by the reply itself (<see cref="DevChatEntry.Forgotten"/>).
    /// </summary>
    public void Forget(string conversationId, string keepTurnKey)
    {
        lock (_lock)
        {
            Get(conversationId).Entries.RemoveAll(e => e.TurnKey != keepTurnKey);
        }
    }

    /// <summary>The entries after <paramref name="afterId"/>, and a task that completes when the next one arrives.</summary>
    public (IReadOnlyList<DevChatEntry> Entries, Task Changed) After(string conversationId, long afterId)
    {
        lock (_lock)
        {
            var conversation = Get(conversationId);
            return ([.. conversation.Entries.Where(e => e.Id > afterId)], conversation.Changed.Task);
        }
    }

    private DevChatEntry Add(string conversationId, Func<long, DateTimeOffset, DevChatEntry> create)
    {
        TaskCompletionSource changed;
        DevChatEntry entry;
        lock (_lock)
        {
            var conversation = Get(conversationId);
            entry = create(++_lastId, time.GetUtcNow());
            if (entry.Role == "bot")
            {
                conversation.Entries.RemoveAll(e => e.Role == "bot" && e.TurnKey == entry.TurnKey);
            }

            conversation.Entries.Add(entry);
            var excess = conversation.Entries.Count - options.Value.MaxEntriesPerConversation;
            if (excess > 0)
            {
                conversation.Entries.RemoveRange(0, excess);
            }

            changed = conversation.Changed;
            conversation.Changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
        return entry;
    }

    private Conversation Get(string conversationId)
    {
        if (!_conversations.TryGetValue(conversationId, out var conversation))
        {
            if (_conversations.Count >= options.Value.MaxConversations)
            {
                var oldest = _conversations.MinBy(c => c.Value.LastUsed).Key;
                _conversations.Remove(oldest);
            }

            conversation = new Conversation();
            _conversations[conversationId] = conversation;
        }

        conversation.LastUsed = time.GetUtcNow();
        return conversation;
    }

    private sealed class Conversation
    {
        public List<DevChatEntry> Entries { get; } = [];

        public TaskCompletionSource Changed { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public DateTimeOffset LastUsed { get; set; }
    }
}
