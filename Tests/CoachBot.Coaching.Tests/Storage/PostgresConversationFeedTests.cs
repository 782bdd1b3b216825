using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Storage;
using CoachBot.Coaching.Tests.Support;
using CoachBot.Storage.Postgres;

namespace CoachBot.Coaching.Tests.Storage;

/// <summary>
/// The dev chat's conversations on PostgreSQL, as two instances see them: what one appends wakes and is read by the
/// other (by its NOTIFY alone), ids resume the same on both, and entries of one conversation appended at once by two
/// instances are never skipped by a reader that resumes after the last id it saw.
/// </summary>
public sealed class PostgresConversationFeedTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    [PostgresFact]
    public async Task Append_OnOneInstance_WakesTheOtherByItsNotificationAndIsReadThere()
    {
        await using var storage = await TestStorage.CreateAsync(StorageProviders.Postgres);
        using var worker = Feed(storage, TimeProvider.System);
        using var streaming = Feed(storage, TimeProvider.System);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var woken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Only the worker's NOTIFY can name the conversation here.
        using var subscription = streaming.Subscribe(conversation =>
        {
            if (conversation is null)
            {
                listening.TrySetResult();
            }
            else if (conversation == "browser-1")
            {
                woken.TrySetResult();
            }
        });
        // A stream's first read starts the listener, which calls with null once it listens.
        Assert.Empty(await streaming.ReadAfterAsync("browser-1", 0, default));
        await listening.Task.WaitAsync(Generous);

        var id = await worker.AppendAsync(new FeedAppend("browser-1", "dev:turn-1", "bot", "{\"card\":1}"), 200, Week, default);
        await woken.Task.WaitAsync(Generous);

        var entry = Assert.Single(await streaming.ReadAfterAsync("browser-1", 0, default));
        Assert.Equal(new FeedEntry(id, "dev:turn-1", "bot", "{\"card\":1}"), entry);
        Assert.Empty(await streaming.ReadAfterAsync("browser-1", id, default));
        Assert.Empty(await streaming.ReadAfterAsync("browser-2", 0, default));
        Assert.Equal(await worker.GetEpochAsync(default), await streaming.GetEpochAsync(default));
    }

    [PostgresFact]
    public async Task Append_ReplyAgainForgetMeAndOverTheLimit_KeepsWhatAConversationShows()
    {
        await using var storage = await TestStorage.CreateAsync(StorageProviders.Postgres);
        using var feed = Feed(storage, TimeProvider.System);
        await feed.AppendAsync(new FeedAppend("c", "k1", "user", "answer 1"), 10, Week, default);
        await feed.AppendAsync(new FeedAppend("c", "k1", "bot", "first try") { ReplacesTurn = true }, 10, Week, default);
        await feed.AppendAsync(new FeedAppend("c", "k1", "bot", "second try") { ReplacesTurn = true }, 10, Week, default);
        await feed.AppendAsync(new FeedAppend("c", "k2", "user", "answer 2"), 10, Week, default);

        var shown = await feed.ReadAfterAsync("c", 0, default);
        Assert.Equal(["answer 1", "second try", "answer 2"], shown.Select(e => e.Content));
        Assert.True(shown.Select(e => e.Id).SequenceEqual(shown.Select(e => e.Id).Order()));

        await feed.AppendAsync(new FeedAppend("c", "k3", "user", "forget me confirm"), 10, Week, default);
        await feed.AppendAsync(new FeedAppend("c", "k3", "bot", "forgotten") { ReplacesTurn = true, ForgetsOthers = true }, 10, Week, default);
        Assert.Equal(["forget me confirm", "forgotten"], (await feed.ReadAfterAsync("c", 0, default)).Select(e => e.Content));

        for (var i = 0; i < 12; i++)
        {
            await feed.AppendAsync(new FeedAppend("c", $"m{i}", "user", $"message {i}"), 10, Week, default);
        }

        Assert.Equal(Enumerable.Range(2, 10).Select(i => $"message {i}"), (await feed.ReadAfterAsync("c", 0, default)).Select(e => e.Content));
    }

    [PostgresFact]
    public async Task Append_EntriesOlderThanTheyAreKept_AreSweptByALaterAppend()
    {
        await using var storage = await TestStorage.CreateAsync(StorageProviders.Postgres);
        var time = new ManualTime(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        using var feed = Feed(storage, time);
        await feed.AppendAsync(new FeedAppend("old", "k1", "user", "last week"), 10, Week, default);
        time.Advance(TimeSpan.FromDays(6));
        await feed.AppendAsync(new FeedAppend("recent", "k2", "user", "yesterday"), 10, Week, default);
        time.Advance(TimeSpan.FromDays(2));

        await feed.AppendAsync(new FeedAppend("new", "k3", "user", "today"), 10, Week, default);

        Assert.Empty(await feed.ReadAfterAsync("old", 0, default));
        Assert.Single(await feed.ReadAfterAsync("recent", 0, default));
        Assert.Single(await feed.ReadAfterAsync("new", 0, default));
    }

    [PostgresFact]
    public async Task Append_TwoInstancesAtOnceToOneConversation_AReaderResumingAfterTheLastIdMissesNone()
    {
        await using var storage = await TestStorage.CreateAsync(StorageProviders.Postgres);
        using var a = Feed(storage, TimeProvider.System);
        using var b = Feed(storage, TimeProvider.System);
        using var reader = Feed(storage, TimeProvider.System);
        const int each = 60;

        var writing = Task.WhenAll(
            Task.Run(() => WriteAsync(a, "a")),
            Task.Run(() => WriteAsync(b, "b")));
        var seen = new List<FeedEntry>();
        while (!writing.IsCompleted)
        {
            // As a stream does: resume after the last id seen, never read everything again.
            seen.AddRange(await reader.ReadAfterAsync("busy", seen.Count == 0 ? 0 : seen[^1].Id, default));
        }

        seen.AddRange(await reader.ReadAfterAsync("busy", seen.Count == 0 ? 0 : seen[^1].Id, default));
        await writing;
        Assert.Equal(2 * each, seen.Count);
        Assert.Equal(2 * each, seen.Select(e => e.Content).Distinct().Count());

        static async Task WriteAsync(PostgresConversationFeed feed, string name)
        {
            for (var i = 0; i < each; i++)
            {
                await feed.AppendAsync(new FeedAppend("busy", $"{name}{i}", "user", $"{name} {i}"), 1_000, Week, default);
            }
        }
    }

    private static PostgresConversationFeed Feed(TestStorage storage, TimeProvider time) =>
        new((PostgresDatabase)storage.Database(), time);
}
