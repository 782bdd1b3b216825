using System.Collections.Concurrent;
using CoachBot.Adapters.Slack.WebApi;
using Microsoft.Extensions.Logging;

namespace CoachBot.Adapters.Slack.Groups;

/// <summary>
/// Whether a Slack user administers the workspace (admin, owner or primary owner in <c>users.info</c>), remembered for a
/// few minutes so a busy round thread costs one Web API call per person, not one per command.
/// </summary>
internal sealed class SlackAdmins(SlackWebApi api, TimeProvider time, ILogger<SlackAdmins> logger)
{
    private const int Capacity = 10_000;
    private static readonly TimeSpan Remembered = TimeSpan.FromMinutes(5);

    // The lookup runs before Slack is acknowledged (see SlackInbound), so it gets a small share of Slack's 3 seconds.
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(1.5);
    private readonly ConcurrentDictionary<string, (bool IsAdmin, DateTimeOffset Until)> _known = new(StringComparer.Ordinal);

    /// <summary>Whether the user is an admin; false when Slack cannot tell in time (the check fails closed).</summary>
    public async Task<bool> IsAdminAsync(string? team, string user, CancellationToken cancellationToken)
    {
        var key = team + "/" + user;
        var now = time.GetUtcNow();
        if (_known.TryGetValue(key, out var known) && known.Until > now)
        {
            return known.IsAdmin;
        }

        using var budget = new CancellationTokenSource(Budget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(budget.Token, cancellationToken);
        try
        {
            var (_, _, isAdmin) = await api.UserInfoAsync(user, linked.Token);
            if (_known.Count >= Capacity)
            {
                _known.Clear();
            }

            _known[key] = (isAdmin, now + Remembered);
            return isAdmin;
        }
        catch (Exception ex) when (ex is SlackApiException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Log.AdminCheckFailed(logger, ex, user);
            return false;
        }
    }
}
