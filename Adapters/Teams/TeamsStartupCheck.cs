using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Adapters.Teams;

/// <summary>
/// Says at start-up how the Teams adapter will authenticate. New Azure Bot registrations (since 2025-07-31) are
/// single-tenant or user-assigned managed identity: their tokens come from the bot's own Microsoft Entra tenant, so
/// <c>Teams:TenantId</c> is required; without it the multi-tenant <c>botframework.com</c> endpoint is used, which only
/// a multi-tenant registration made before then accepts.
/// </summary>
internal sealed class TeamsStartupCheck(IOptions<TeamsOptions> options, ILogger<TeamsStartupCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Development mode (no app id) is announced by the endpoint already.
        var settings = options.Value;
        if (!settings.IsDevelopmentMode && string.IsNullOrWhiteSpace(settings.TenantId))
        {
            Log.TeamsTenantMissing(logger, settings.AppId!);
        }
        else if (!settings.IsDevelopmentMode)
        {
            Log.TeamsSingleTenant(logger, settings.AppId!, settings.TenantId!);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
