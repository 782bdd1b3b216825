using System.Text.Json.Nodes;
using CoachBot.Adapters.Teams.Auth;
using CoachBot.Adapters.Teams.Connector;
using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Adapters.Teams;

/// <summary>Registers the Microsoft Teams adapter and maps its endpoint.</summary>
public static class TeamsHostingExtensions
{
    /// <summary>The Bot Framework messaging endpoint.</summary>
    public const string MessagesPath = "/api/messages";

    /// <summary>
    /// Adds the Teams adapter: inbound JWT validation, the outbound token and connector client, the replier and the
    /// file downloader for channel <c>teams</c>. With no <c>Teams:AppId</c> it runs in local development mode.
    /// </summary>
    public static IHostApplicationBuilder AddTeams(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<TeamsOptions>().BindConfiguration(TeamsOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.IsDevelopmentMode || !string.IsNullOrWhiteSpace(o.AppPassword),
                "Teams:AppPassword is required when Teams:AppId is set (set it with the environment variable Teams__AppPassword or user-secrets).")
            .Validate(o => o.PublicBaseUrl is null || o.PublicBaseUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
                    || Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out var local) && local.IsLoopback,
                "Teams:PublicBaseUrl must be an https address (Teams opens dialogs over https only).")
            .Validate(o => IsHttpsOrLoopback(o.GraphBaseUrl) && IsHttpsOrLoopback(o.GraphAuthority),
                "Teams:GraphBaseUrl and Teams:GraphAuthority must be https addresses (plain http only on this machine, for a test server).")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        // No client follows redirects: a redirect could carry a secret or the bot's token to another host.
        services.AddHttpClient(SigningKeys.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddHttpClient(ConnectorClient.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddHttpClient(Graph.GraphMessages.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddHttpClient(TeamsAudioFetcher.HttpClientName, c => c.Timeout = TimeSpan.FromMinutes(2))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });

        services.TryAddSingleton<SigningKeys>();
        services.TryAddSingleton<InboundAuthenticator>();
        services.TryAddSingleton<BotTokenClient>();
        services.TryAddSingleton<ConnectorClient>();
        services.TryAddSingleton<Graph.GraphMessages>();
        services.TryAddSingleton<TeamsReplier>();
        services.TryAddSingleton<PendingFeedback>();
        services.TryAddSingleton<RecentResults<JsonObject>>();
        services.TryAddSingleton<TeamsEndpoint>();
        services.AddSingleton<ITurnReplier>(sp => sp.GetRequiredService<TeamsReplier>());
        services.AddSingleton<IAudioFetcher, TeamsAudioFetcher>();
        services.AddHostedService<TeamsStartupCheck>();
        services.AddHostedService<PendingFeedbackSweeper>();
        return builder;
    }

    private static bool IsHttpsOrLoopback(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback);

    /// <summary>Maps <c>POST /api/messages</c>.</summary>
    public static IEndpointRouteBuilder MapTeams(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var settings = endpoints.ServiceProvider.GetRequiredService<IOptions<TeamsOptions>>().Value;
        var logger = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("CoachBot.Adapters.Teams");
        if (settings.IsDevelopmentMode && !endpoints.ServiceProvider.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            // Outside Development, no app id means Teams is not set up: a reverse proxy on the same machine would make
            // every caller look local, so nothing is trusted for its address and every request is refused.
            Log.TeamsNotConfigured(logger);
            endpoints.MapPost(MessagesPath, () => Results.Json(
                    new { error = "Teams is not configured on this host (no Teams:AppId), so every request is refused." },
                    statusCode: StatusCodes.Status401Unauthorized))
                .DisableAntiforgery();
            return endpoints;
        }

        if (settings.IsDevelopmentMode)
        {
            Log.DevelopmentMode(logger);
        }

        endpoints.MapPost(MessagesPath, (HttpContext context, TeamsEndpoint endpoint) => endpoint.HandleAsync(context))
            .DisableAntiforgery();
        return endpoints;
    }
}
