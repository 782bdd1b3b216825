using System.Collections.Concurrent;

namespace CoachBot.Adapters.Slack.Events;

/// <summary>
/// The threads the bot has posted in during this process's life, so a reply in such a thread is coached without
/// a mention. After a restart the bot asks Slack (<c>conversations.replies</c>) instead.
/// </summary>
internal sealed class SlackThreads
{
    private const int Capacity = 50_000;
    private readonly ConcurrentDictionary<string, byte> _threads = new(StringComparer.Ordinal);

    public void Remember(string channel, string? threadTs)
    {
        if (threadTs is null)
        {
            return;
        }

        if (_threads.Count >= Capacity)
        {
            // A coarse bound: forgetting only costs one conversations.replies call per forgotten thread.
            _threads.Clear();
        }

        _threads[Key(channel, threadTs)] = 0;
    }

    public bool Knows(string channel, string threadTs) => _threads.ContainsKey(Key(channel, threadTs));

    private static string Key(string channel, string threadTs) => channel + "/" + threadTs;
}
