using System.Collections.Concurrent;
using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Storage;
using CoachBot.Coaching.Tests.Queue;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Coaching.Tests.Storage;

/// <summary>
/// Several instances sharing one PostgreSQL queue, each with its own connections and instance name, in this process:
/// every turn is coached exactly once and stored, none is lost, duplicates are coalesced, each person's turns keep their
/// order, and the turns of an instance that died mid-turn are taken over once its leases expire.
/// </summary>
public sealed class PostgresQueueWorkersTests(ITestOutputHelper output)
{
    private const int People = 100;
    private const int TurnsEach = 10;

    [PostgresFact]
    public async Task Drain_ThreeInstancesWithDuplicatesRetriesAndOneInstanceDeadMidTurn_CoachEveryTurnExactlyOnce()
    {
        await using var storage = await TestStorage.CreateAsync(StorageProviders.Postgres);
        // The instances' clock: real time, moved on when the doomed instance has died so its leases run out (no test
        // waits out a real lease, and no lease runs out early because this machine is slow).
        var time = new MovableTime();
        var keys = Enumerable.Range(0, People * TurnsEach).Select(i => $"slack:Ev{i}").ToList();
        string PersonOf(int i) => $"U{i % People}";

        // Every instance leases turns for the default ten minutes.
        var doomed = storage.Queue(time, instance: "instance-doomed");
        var instances = new[] { "instance-a", "instance-b", "instance-c" }
            .Select(name => storage.Queue(time, maxAttempts: 3, retryDelaySeconds: 0.05, instance: name)).ToList();
        try
        {
            // 1,000 turns handed in across the three instances at once, plus 100 duplicates of them (a platform's retry
            // arriving at another instance at the same moment).
            var stored = await Task.WhenAll(
                keys.Select((key, i) => Task.Run(() => instances[i % 3].EnqueueAsync(Turn(key, PersonOf(i)), default)))
                    .Concat(keys.Take(100).Select((key, i) => Task.Run(() => instances[(i + 1) % 3].EnqueueAsync(Turn(key, PersonOf(i)), default)))));
            Assert.Equal(keys.Count, stored.Count(s => s));

            // The doomed instance takes five turns; it coaches two (their results are stored), then dies without finishing.
            var coached = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
            var redelivered = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
            var doomedTurns = new List<QueuedTurn>();
            for (var i = 0; i < 5; i++)
            {
                doomedTurns.Add((await doomed.ClaimAsync(default))!);
            }

            foreach (var turn in doomedTurns.Take(2))
            {
                coached.AddOrUpdate(turn.Turn.IdempotencyKey, 1, (_, n) => n + 1);
                await doomed.SaveResultAsync(turn.Id, ResultFor(turn.Turn.IdempotencyKey), default);
            }

            Assert.Equal(5, doomedTurns.Select(t => t.Id).Distinct().Count());
            doomed.Dispose();
            time.MoveOn(TimeSpan.FromMinutes(11));

            var draining = System.Diagnostics.Stopwatch.StartNew();
            // Two workers per surviving instance. Every 40th turn fails on its first attempt (a provider error) and is
            // retried; a turn whose result is already stored is re-delivered, never coached again.
            using var stop = new CancellationTokenSource();
            var order = new ConcurrentDictionary<string, ConcurrentQueue<long>>(StringComparer.Ordinal);
            var failedOnce = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
            var workers = instances.SelectMany(queue => Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var claimed = await queue.ClaimAsync(default);
                    if (claimed is null)
                    {
                        try
                        {
                            await queue.WaitForWorkAsync(TimeSpan.FromMilliseconds(250), stop.Token);
                        }
                        catch (OperationCanceledException)
                        {
                            return;
                        }

                        continue;
                    }

                    var key = claimed.Turn.IdempotencyKey;
                    order.GetOrAdd(claimed.Turn.UserId, _ => new ConcurrentQueue<long>()).Enqueue(claimed.Id);
                    if (claimed.Result is not null)
                    {
                        redelivered.AddOrUpdate(key, 1, (_, n) => n + 1);
                    }
                    else if (int.Parse(key["slack:Ev".Length..], System.Globalization.CultureInfo.InvariantCulture) % 40 == 0 && failedOnce.TryAdd(key, true))
                    {
                        await queue.FailAsync(claimed.Id, "provider down", default);
                        continue;
                    }
                    else
                    {
                        coached.AddOrUpdate(key, 1, (_, n) => n + 1);
                        await queue.SaveResultAsync(claimed.Id, ResultFor(key), default);
                    }

                    await queue.CompleteAsync(claimed.Id, default);
                }
            }))).ToList();

            // While they work, the platform retries 200 events that are already stored (some finished, some not).
            var retried = await Task.WhenAll(keys.Skip(300).Take(200).Select((key, i) => instances[i % 3].EnqueueAsync(Turn(key, PersonOf(300 + i)), default)));
            Assert.DoesNotContain(true, retried);

            var deadline = DateTime.UtcNow.AddMinutes(5);
            IReadOnlyDictionary<string, int> counts;
            while ((counts = await instances[0].CountsAsync(default))["done"] + counts["failed"] < keys.Count && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }

            await stop.CancelAsync();
            await Task.WhenAll(workers);
            Figures.Report(output, "postgres queue: 3 instances x 2 workers drain 1,000 turns (+1 instance dead mid-turn, every 40th turn failing once)",
                FormattableString.Invariant($"{draining.Elapsed.TotalSeconds:0.0} s; done {counts["done"]}, coached once {coached.Count(c => c.Value == 1)}, re-delivered {redelivered.Count}, failed then retried {failedOnce.Count}; load average {LoadAverage()}"));

            Assert.Equal(keys.Count, counts["done"]);
            Assert.Equal(0, counts["failed"] + counts["pending"] + counts["running"]);
            Assert.Equal(keys.Count, coached.Count);
            Assert.All(coached, c => Assert.Equal(1, c.Value));
            Assert.Equal(doomedTurns.Take(2).Select(t => t.Turn.IdempotencyKey).Order(), redelivered.Keys.Order());
            // Every 40th turn failed once, except one the doomed instance had already coached (re-delivered instead).
            var alreadyCoached = doomedTurns.Take(2).Select(t => t.Turn.IdempotencyKey).ToHashSet(StringComparer.Ordinal);
            Assert.Equal(keys.Where((key, i) => i % 40 == 0 && !alreadyCoached.Contains(key)).Count(), failedOnce.Count);
            var rows = await storage.TurnsAsync();
            Assert.Equal(keys.Count, rows.Count);
            Assert.All(rows, r => Assert.Equal(ResultFor(r.Key), r.Result));
            // Each person's turns were taken in the order they were stored.
            Assert.All(order.Values, ids => Assert.Equal(ids.Distinct().Order(), ids.Distinct()));
        }
        finally
        {
            instances.ForEach(q => q.Dispose());
        }
    }

    /// <summary>The machine's clock, moved on by a test (timers stay on real time).</summary>
    private sealed class MovableTime : TimeProvider
    {
        private long _offsetTicks;

        public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

        public void MoveOn(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    private static string ResultFor(string key) => $"{{\"report\":\"{key}\"}}";

    private static CoachingTurn Turn(string key, string user) => TurnQueueTests.Turn(key, user);
}
