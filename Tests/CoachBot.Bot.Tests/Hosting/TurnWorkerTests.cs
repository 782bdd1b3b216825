using System.Text.Json;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Sessions;
using CoachBot.Coaching.Storage;
using CoachBot.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CoachBot.Bot.Tests.Hosting;

public sealed class TurnWorkerTests : IDisposable
{
    // The worker stores replies in the web defaults' shape.
    private static readonly JsonSerializerOptions WorkerJson = new(JsonSerializerDefaults.Web);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Db => _folder.File("queue.db");

    [Fact]
    public async Task Answer_Queued_IsCoachedAndDeliveredOnce()
    {
        var replier = new RecordingReplier();
        await using var factory = new CoachBotFactory(Db).WithReplier(replier);
        var queue = factory.Services.GetRequiredService<ITurnQueue>();
        var question = await StartAsync(factory);

        await queue.EnqueueAsync(Answer("evt-1", question), default);
        await replier.WaitForAsync();

        var (_, reply) = Assert.Single(replier.Replies);
        Assert.Equal(TurnReplyKind.Report, reply.Kind);
        Assert.Equal(question, reply.Report!.Question.Id);
    }

    [Fact]
    public async Task SameEventTwice_ProducesOneReply()
    {
        var replier = new RecordingReplier();
        await using var factory = new CoachBotFactory(Db).WithReplier(replier);
        var queue = factory.Services.GetRequiredService<ITurnQueue>();
        var question = await StartAsync(factory);

        Assert.True(await queue.EnqueueAsync(Answer("evt-dup", question), default));
        Assert.False(await queue.EnqueueAsync(Answer("evt-dup", question), default));
        await queue.EnqueueAsync(Answer("evt-after", question), default);
        await replier.WaitForAsync(2);

        Assert.Equal(["evt-dup", "evt-after"], replier.Replies.Select(r => r.Turn.IdempotencyKey));
    }

    [Fact]
    public async Task HostStoppedMidJob_RestartedHost_CompletesTheJobOnce()
    {
        string question;
        var first = new RecordingReplier(hangOnFirst: true);
        await using (var before = new CoachBotFactory(Db).WithReplier(first))
        {
            question = await StartAsync(before);
            await before.Services.GetRequiredService<ITurnQueue>().EnqueueAsync(Answer("evt-crash", question), default);
            await first.Entered.WaitAsync(TimeSpan.FromSeconds(60));
        }

        // The first host stopped while the reply was being delivered: nothing reached the user.
        Assert.Empty(first.Replies);

        var second = new RecordingReplier();
        await using var after = new CoachBotFactory(Db).WithReplier(second);
        _ = after.Services;
        await second.WaitForAsync();
        await Task.Delay(TimeSpan.FromMilliseconds(500));

        var (turn, reply) = Assert.Single(second.Replies);
        Assert.Equal("evt-crash", turn.IdempotencyKey);
        Assert.Equal(TurnReplyKind.Report, reply.Kind);
        var counts = await after.Services.GetRequiredService<ITurnQueue>().CountsAsync(default);
        Assert.Equal(1, counts["done"]);
        Assert.Equal(0, counts["pending"] + counts["running"]);
        var progress = await after.Services.GetRequiredService<IPracticeSessions>().GetProgressAsync(SessionKey.For("test", "T1", "U1"), default);
        Assert.Equal(1, progress.Attempts);
    }

    [Fact]
    public async Task ProcessDiedHoldingAJob_NextStart_RecoversAndCompletesIt()
    {
        // A process stored the turn, claimed it, and died before finishing: the row stays 'running'.
        var database = new SqliteDatabase(Options.Create(new StorageOptions { DatabasePath = Db }));
        using (var dead = new SqliteTurnQueue(database, Options.Create(new TurnQueueOptions()), TimeProvider.System))
        {
            await dead.EnqueueAsync(Command("evt-held", "help"), default);
            Assert.NotNull(await dead.ClaimAsync(default));
            Assert.Equal(1, (await dead.CountsAsync(default))["running"]);
        }

        var replier = new RecordingReplier();
        await using var restarted = new CoachBotFactory(Db).WithReplier(replier);
        _ = restarted.Services;
        await replier.WaitForAsync();

        var (turn, reply) = Assert.Single(replier.Replies);
        Assert.Equal("evt-held", turn.IdempotencyKey);
        Assert.Equal(TurnReplyKind.Text, reply.Kind);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ProcessDiedMaxAttemptsTimes_NextStart_DeliversAStoredReplyElseSaysItWasInterrupted(bool replyStored)
    {
        // Three processes in a row claimed the turn and died (SIGKILL: no failure recorded); the first had coached it.
        var database = new SqliteDatabase(Options.Create(new StorageOptions { DatabasePath = Db }));
        using (var dead = new SqliteTurnQueue(database, Options.Create(new TurnQueueOptions()), TimeProvider.System))
        {
            await dead.EnqueueAsync(Command("evt-killed", "help"), default);
            for (var attempt = 1; attempt <= 3; attempt++)
            {
                await dead.RecoverAbandonedAsync(default);
                var claimed = await dead.ClaimAsync(default);
                Assert.Equal(attempt, claimed!.Attempt);
                if (replyStored && attempt == 1)
                {
                    var stored = TurnReply.Failure("stored", "The reply the first process coached.");
                    await dead.SaveResultAsync(claimed.Id, JsonSerializer.Serialize(stored, WorkerJson), default);
                }
            }
        }

        var replier = new RecordingReplier();
        await using var restarted = new CoachBotFactory(Db).WithSetting("Queue:MaxAttempts", "3").WithReplier(replier);
        _ = restarted.Services;
        await replier.WaitForAsync();

        var (turn, reply) = Assert.Single(replier.Replies);
        Assert.Equal("evt-killed", turn.IdempotencyKey);
        if (replyStored)
        {
            Assert.Equal("The reply the first process coached.", reply.Text);
        }
        else
        {
            Assert.Contains("it was interrupted too many times", reply.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UnreadableRowInTheQueue_IsFailedAndTheHostKeepsServing()
    {
        var database = new SqliteDatabase(Options.Create(new StorageOptions { DatabasePath = Db }));
        await using (var connection = await database.OpenAsync(default))
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO turns (idempotency_key, channel, payload, status, attempts, not_before, created_at) VALUES ('broken', 'test', '{not json', 'pending', 0, '2000-01-01T00:00:00.0000000Z', '2000-01-01T00:00:00.0000000Z');";
            await insert.ExecuteNonQueryAsync();
        }

        var replier = new RecordingReplier();
        await using var factory = new CoachBotFactory(Db).WithReplier(replier);
        await factory.Services.GetRequiredService<ITurnQueue>().EnqueueAsync(Command("evt-after-broken", "help"), default);
        await replier.WaitForAsync();

        // The reply is handed over before the worker marks its turn done: wait for the mark, generously.
        var queue = factory.Services.GetRequiredService<ITurnQueue>();
        var counts = await queue.CountsAsync(default);
        for (var giveUp = DateTime.UtcNow.AddMinutes(2); counts.GetValueOrDefault("done") == 0 && DateTime.UtcNow < giveUp; counts = await queue.CountsAsync(default))
        {
            await Task.Delay(50);
        }

        Assert.Equal(1, counts["failed"]);
        Assert.Equal(1, counts["done"]);
        Assert.Equal("evt-after-broken", Assert.Single(replier.Replies).Turn.IdempotencyKey);
    }

    [Fact]
    public async Task ProcessingKeepsFailing_UserIsToldOnceAfterMaxAttempts()
    {
        var replier = new RecordingReplier();
        var failing = new FailingProcessor();
        await using var factory = new CoachBotFactory(Db)
            .WithSetting("Queue:MaxAttempts", "3")
            .WithSetting("Queue:RetryDelaySeconds", "0")
            .WithReplier(replier)
            .WithServices(s => s.AddSingleton<ITurnProcessor>(failing));
        var queue = factory.Services.GetRequiredService<ITurnQueue>();

        await queue.EnqueueAsync(Command("evt-fail", "help"), default);
        await replier.WaitForAsync();
        await Task.Delay(TimeSpan.FromMilliseconds(500));

        var (_, reply) = Assert.Single(replier.Replies);
        Assert.Equal(TurnReplyKind.Error, reply.Kind);
        Assert.Equal("processing_failed", reply.ErrorCode);
        Assert.DoesNotContain("disk full", reply.Text, StringComparison.Ordinal);
        Assert.Contains("something went wrong on our side", reply.Text, StringComparison.Ordinal);
        Assert.Equal(3, failing.Calls);
        Assert.Equal(1, (await queue.CountsAsync(default))["failed"]);
    }

    [Fact]
    public async Task TurnForAChannelWithoutReplier_IsAbandonedNotRetriedForever()
    {
        await using var factory = new CoachBotFactory(Db);
        var queue = factory.Services.GetRequiredService<ITurnQueue>();

        await queue.EnqueueAsync(Command("evt-nowhere", "help") with { Channel = "carrier-pigeon" }, default);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await queue.CountsAsync(default))["failed"] == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(1, (await queue.CountsAsync(default))["failed"]);
    }

    [Fact]
    public async Task Intake_PostsThePlaceholderFirst_AndTheReplyCarriesItsRouting()
    {
        var replier = new RecordingReplier();
        await using var factory = new CoachBotFactory(Db).WithReplier(replier);
        var intake = factory.Services.GetRequiredService<ITurnIntake>();
        var question = await StartAsync(factory);
        var posted = new TaskCompletionSource();

        var stored = await intake.SubmitAsync(Answer("evt-placeholder", question), async (turn, ct) =>
        {
            // A slow platform: the worker must wait for the placeholder rather than reply before it exists.
            await Task.Delay(300, ct);
            posted.SetResult();
            return new Dictionary<string, string> { ["placeholder"] = "msg-1" };
        }, default);
        var duplicate = await intake.SubmitAsync(Answer("evt-placeholder", question), (_, _) => throw new InvalidOperationException("a duplicate must not post"), default);
        await replier.WaitForAsync();

        Assert.True(stored);
        Assert.False(duplicate);
        Assert.True(posted.Task.IsCompleted);
        var (turn, reply) = Assert.Single(replier.Replies);
        Assert.Equal("msg-1", turn.Reply["placeholder"]);
        Assert.Equal(TurnReplyKind.Report, reply.Kind);
    }

    [Fact]
    public async Task Intake_PlaceholderFails_TheAnswerIsStillCoached()
    {
        var replier = new RecordingReplier();
        await using var factory = new CoachBotFactory(Db).WithReplier(replier);
        var intake = factory.Services.GetRequiredService<ITurnIntake>();
        var question = await StartAsync(factory);

        await intake.SubmitAsync(Answer("evt-no-placeholder", question), (_, _) => throw new HttpRequestException("platform down"), default);
        await replier.WaitForAsync();

        var (turn, reply) = Assert.Single(replier.Replies);
        Assert.Empty(turn.Reply);
        Assert.Equal(TurnReplyKind.Report, reply.Kind);
    }

    [Fact]
    public async Task TwoWorkers_OnePersonsSlowReply_DoesNotHoldUpAnotherPersonAndKeepsItsOwnOrder()
    {
        var replier = new OrderReplier();
        await using var factory = new CoachBotFactory(Db).WithSetting("Queue:Workers", "2").WithReplier(replier);
        var queue = factory.Services.GetRequiredService<ITurnQueue>();

        await queue.EnqueueAsync(Command("ua-1", "help") with { UserId = "UA" }, default);
        await queue.EnqueueAsync(Command("ua-2", "help") with { UserId = "UA" }, default);
        await queue.EnqueueAsync(Command("ub-1", "help") with { UserId = "UB" }, default);
        await replier.WaitForAsync(3);

        // ua-1's delivery waited for ub-1's: with one worker it would never have finished.
        Assert.Equal(["ub-1", "ua-1", "ua-2"], replier.Replies.Select(r => r.Turn.IdempotencyKey));
    }

    private static async Task<string> StartAsync(CoachBotFactory factory)
    {
        var sessions = factory.Services.GetRequiredService<IPracticeSessions>();
        return (await sessions.NextQuestionAsync(SessionKey.For("test", "T1", "U1"), default)).Id;
    }

    private static CoachingTurn Answer(string key, string questionId) => new()
    {
        Channel = "test",
        TenantId = "T1",
        UserId = "U1",
        ConversationId = "D1",
        Intent = TurnIntent.Answer,
        Text = "Last year I led our migration to a new CI system. My goal was to cut build time. I profiled the slowest jobs, then I split the test suite and added caching. As a result builds went from 40 to 12 minutes.",
        QuestionId = questionId,
        IdempotencyKey = key,
    };

    private static CoachingTurn Command(string key, string text) => new()
    {
        Channel = "test",
        TenantId = "T1",
        UserId = "U1",
        ConversationId = "D1",
        Intent = TurnIntent.Command,
        Text = text,
        IdempotencyKey = key,
    };

    /// <summary>Holds the first reply to UA until UB's reply has been delivered.</summary>
    private sealed class OrderReplier : ITurnReplier
    {
        private readonly TaskCompletionSource _otherDelivered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Channel => "test";

        public System.Collections.Concurrent.ConcurrentQueue<(CoachingTurn Turn, TurnReply Reply)> Replies { get; } = new();

        public async Task SendAsync(CoachingTurn turn, TurnReply reply, CancellationToken cancellationToken)
        {
            if (turn.IdempotencyKey == "ua-1")
            {
                await _otherDelivered.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
            }

            Replies.Enqueue((turn, reply));
            if (turn.UserId == "UB")
            {
                _otherDelivered.TrySetResult();
            }
        }

        public async Task WaitForAsync(int count)
        {
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (Replies.Count < count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"only {Replies.Count} of {count} replies arrived: {string.Join(", ", Replies.Select(r => r.Turn.IdempotencyKey))}");
                await Task.Delay(20);
            }
        }
    }

    private sealed class FailingProcessor : ITurnProcessor
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<TurnReply> ProcessAsync(CoachingTurn turn, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            throw new IOException("disk full");
        }
    }
}
