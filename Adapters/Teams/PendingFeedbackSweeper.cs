using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Adapters.Teams;

/// <summary>
/// Deletes kept round feedback once it is older than <see cref="TeamsOptions.PendingFeedbackDays"/>, at start-up and
/// every six hours, so the privacy statement's "at most N days" holds even when nobody installs the app again.
/// </summary>
internal sealed class PendingFeedbackSweeper(PendingFeedback pending, IOptions<TeamsOptions> options, TimeProvider time, ILogger<PendingFeedbackSweeper> logger) : BackgroundService
{
    /// <summary>How often expired feedback is looked for.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromHours(6);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting first.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                Log.PendingFeedbackExpired(logger, await pending.DeleteExpiredAsync(stoppingToken), options.Value.PendingFeedbackDays);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // A busy or full database must not stop the host; the next sweep tries again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.PendingFeedbackSweepFailed(logger, ex);
            }

            try
            {
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}
