using System.Collections.Concurrent;
using CoachBot.Adapters.Slack.WebApi;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CoachBot.Adapters.Slack.Groups;

/// <summary>
/// Whether a Slack user administers the workspace (admin, owner or primary owner in <c>users.info</c>), remembered for a
/// few minutes so a busy round thread costs one Web API call per person, not one per command.
/// </summary>
/// <remarks>
/// The check runs before Slack is acknowledged (see <c>SlackInbound</c>), so its budget counts from when the request
/// arrived, not from when the lookup starts: whatever the request already spent is taken off. A lookup that misses the
/// budget is not abandoned: it finishes in the background and fills the cache, so the person's next command (or Slack's
/// retry) is answered from memory; a remembered answer close to expiry is refreshed in the background the same way.
/// All timing reads the injected <see cref="TimeProvider"/>.
/// </remarks>
internal sealed class SlackAdmins(SlackWebApi api, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<SlackAdmins> logger)
{
    /// <summary>From the request's arrival to the end of the lookup: Slack's 3 seconds less time to store the turn and answer.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(2.5);

    /// <summary>How long an answer is used.</summary>
    public static readonly TimeSpan Remembered = TimeSpan.FromMinutes(5);

    /// <summary>An answer used within this long of its expiry is looked up again in the background.</summary>
    public static readonly TimeSpan RefreshBefore = TimeSpan.FromMinutes(1);

    private const int Capacity = 10_000;
    private readonly ConcurrentDictionary<string, (bool IsAdmin, DateTimeOffset Until)> _known = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<bool>>> _lookups = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether the user is an admin; false when Slack cannot tell within <see cref="Budget"/> of
    /// <paramref name="receivedAt"/> (the check fails closed).
    /// </summary>
    public async Task<bool> IsAdminAsync(string? team, string user, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var key = team + "/" + user;
        var now = time.GetUtcNow();
        if (_known.TryGetValue(key, out var known) && known.Until > now)
        {
            if (known.Until - now <= RefreshBefore)
            {
                _ = Lookup(key, user);
            }

            return known.IsAdmin;
        }

        var lookup = Lookup(key, user);
        var left = receivedAt + Budget - now;
        try
        {
            return lookup.IsCompleted || left > TimeSpan.Zero
                ? await lookup.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, time, cancellationToken)
                : throw new TimeoutException();
        }
        catch (TimeoutException ex)
        {
            Log.AdminCheckFailed(logger, ex, user);
            return false;
        }
        catch (Exception ex) when (ex is SlackApiException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Log.AdminCheckFailed(logger, ex, user);
            return false;
        }
    }

    /// <summary>The user's lookup in flight, or a new one; it runs until the host stops, not until a request gives up.</summary>
    private Task<bool> Lookup(string key, string user)
    {
        var lazy = _lookups.GetOrAdd(key, k => new Lazy<Task<bool>>(() =>
        {
            var task = Task.Run(() => LookUpAsync(k, user), CancellationToken.None);
            // A background lookup nobody waits for any more may fail; its failure is seen here so it is not left unobserved.
            _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            return task;
        }));
        return lazy.Value;
    }

    private async Task<bool> LookUpAsync(string key, string user)
    {
        try
        {
            var (_, _, isAdmin) = await api.UserInfoAsync(user, lifetime.ApplicationStopping);
            if (_known.Count >= Capacity)
            {
                _known.Clear();
            }

            _known[key] = (isAdmin, time.GetUtcNow() + Remembered);
            return isAdmin;
        }
        finally
        {
            _lookups.TryRemove(key, out _);
        }
    }
}
