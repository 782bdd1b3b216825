using CoachBot.Adapters.Slack.Events;
using CoachBot.Adapters.Slack.Groups;
using CoachBot.Adapters.Slack.SocketMode;
using CoachBot.Adapters.Slack.WebApi;
using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace CoachBot.Adapters.Slack;

/// <summary>Registers and maps the Slack adapter.</summary>
public static class SlackHostingExtensions
{
    /// <summary>
    /// Adds the Slack adapter: the reply channel, the file downloader, the Web API client and Socket Mode. With no
    /// settings the host still starts; Slack requests are then refused and Socket Mode stays off.
    /// </summary>
    public static IHostApplicationBuilder AddSlack(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<SlackOptions>().BindConfiguration(SlackOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(SlackWebApi.HttpClientName);
        services.AddHttpClient(SlackAudioFetcher.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .ConfigureHttpClient(c => c.Timeout = TimeSpan.FromMinutes(5));
        services.TryAddSingleton<SlackWebApi>();
        services.TryAddSingleton<SlackDelivery>();
        services.TryAddSingleton<SlackThreads>();
        services.TryAddSingleton<SlackInbound>();
        services.TryAddSingleton<SlackAdmins>();
        services.TryAddSingleton<SlackGroupReplier>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITurnReplier, SlackReplier>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAudioFetcher, SlackAudioFetcher>());
        services.TryAddSingleton<SlackSocketModeClient>();
        services.AddHostedService(sp => sp.GetRequiredService<SlackSocketModeClient>());
        services.AddHostedService<SlackStartupCheck>();
        return builder;
    }

    /// <summary>Maps <c>POST /slack/events</c>, <c>/slack/commands</c> and <c>/slack/interactions</c>.</summary>
    public static IEndpointRouteBuilder MapSlack(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var slack = endpoints.MapGroup("/slack");
        slack.MapPost("/events", SlackEndpoints.EventsAsync);
        slack.MapPost("/commands", SlackEndpoints.CommandsAsync);
        slack.MapPost("/interactions", SlackEndpoints.InteractionsAsync);
        return endpoints;
    }
}
