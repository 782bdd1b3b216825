using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoachBot.Coaching.Queue;
using Microsoft.Extensions.Options;

namespace CoachBot.Bot.DevChat;

/// <summary>
/// The dev chat's conversations when several instances share one database: every entry goes to the database's
/// <see cref="IConversationFeed"/>, so a reply coached by any instance, and a message taken by any instance, reaches the
/// browser whose stream another instance holds. Ids are the feed's, the same on every instance, so a browser that
/// reconnects to another instance (behind a load balancer) resumes after the last entry it saw, and nothing is sent
/// twice whichever instance wrote it. A stream wakes when the feed says its conversation changed.
/// </summary>
internal sealed class SharedDevConversations : IDevChatLog, IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly IConversationFeed _feed;
    private readonly IOptions<DevChatOptions> _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new(StringComparer.Ordinal);
    private readonly IDisposable _subscription;

    public SharedDevConversations(IConversationFeed feed, IOptions<DevChatOptions> options, TimeProvider time)
    {
        _feed = feed;
        _options = options;
        _time = time;
        _subscription = feed.Subscribe(Changed);
    }

    public Task<string> GetEpochAsync(CancellationToken cancellationToken) => _feed.GetEpochAsync(cancellationToken);

    public Task AddUserAsync(string conversationId, string turnKey, string text, CancellationToken cancellationToken) =>
        AppendAsync(new DevChatEntry(0, "user", turnKey, text, null, null, null, _time.GetUtcNow()), conversationId, cancellationToken);

    public Task AddReplyAsync(string conversationId, string turnKey, string kind, string text, string? questionId, JsonObject card, bool forgotten, CancellationToken cancellationToken) =>
        AppendAsync(new DevChatEntry(0, "bot", turnKey, text, kind, questionId, card, _time.GetUtcNow()) { Forgotten = forgotten }, conversationId, cancellationToken);

    public async Task<(IReadOnlyList<DevChatEntry> Entries, Task Changed)> AfterAsync(string conversationId, long afterId, CancellationToken cancellationToken)
    {
        // Taken before reading: an entry committed after the read completes it, so the stream reads again.
        var changed = _waiting.GetOrAdd(conversationId, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        var rows = await _feed.ReadAfterAsync(conversationId, afterId, cancellationToken);
        var entries = new List<DevChatEntry>(rows.Count);
        foreach (var row in rows)
        {
            if (JsonSerializer.Deserialize<DevChatEntry>(row.Content, Json) is { } entry)
            {
                entries.Add(entry with { Id = row.Id });
            }
        }

        return (entries, changed);
    }

    private async Task AppendAsync(DevChatEntry entry, string conversationId, CancellationToken cancellationToken)
    {
        var options = _options.Value;
        await _feed.AppendAsync(
            new FeedAppend(conversationId, entry.TurnKey, entry.Role, JsonSerializer.Serialize(entry, Json))
            {
                ReplacesTurn = entry.Role == "bot",
                ForgetsOthers = entry.Forgotten,
            },
            options.MaxEntriesPerConversation, TimeSpan.FromDays(options.KeepDays), cancellationToken);
    }

    private void Changed(string? conversationId)
    {
        if (conversationId is null)
        {
            foreach (var key in _waiting.Keys)
            {
                Wake(key);
            }
        }
        else
        {
            Wake(conversationId);
        }
    }

    private void Wake(string conversationId)
    {
        if (_waiting.TryRemove(conversationId, out var waiting))
        {
            waiting.TrySetResult();
        }
    }

    public void Dispose() => _subscription.Dispose();
}
