namespace CoachBot.Storage.Postgres;

/// <summary>
/// One connection that <c>LISTEN</c>s on a channel until stopped: each notification's payload (null when empty) goes to
/// <c>notified</c>, and so does one null right after every (re)connection, since whatever was announced while nobody
/// listened must be looked for then. A broken connection is reported to <c>failed</c> with the seconds until the next try,
/// and retried with back-off (1 s, doubling, at most 30 s) on the given clock. Shared by the turn queue's wake-ups and the
/// dev chat's conversation feed.
/// </summary>
internal static class PostgresListener
{
    public static async Task RunAsync(
        PostgresDatabase database,
        string channel,
        Action<string?> notified,
        Action<Exception, double> failed,
        TimeProvider time,
        CancellationToken stopping)
    {
        var retry = TimeSpan.FromSeconds(1);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.OpenNpgsqlAsync(stopping);
                connection.Notification += (_, e) => notified(e.Payload.Length == 0 ? null : e.Payload);
                await connection.RunAsync($"LISTEN {channel};", stopping);
                notified(null);
                retry = TimeSpan.FromSeconds(1);
                while (true)
                {
                    await connection.WaitAsync(stopping);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException) when (stopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A broken listener only delays wake-ups to the callers' own polling; it is retried.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failed(ex, retry.TotalSeconds);
            }

            try
            {
                await Task.Delay(retry, time, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            retry = TimeSpan.FromSeconds(Math.Min(30, retry.TotalSeconds * 2));
        }
    }
}
