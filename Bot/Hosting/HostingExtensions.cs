using CoachBot.Adapters.Slack;
using CoachBot.Adapters.Teams;
using CoachBot.Bot.DevChat;
using CoachBot.Coaching;

namespace CoachBot.Bot.Hosting;

/// <summary>The composition root: what the bot host is made of.</summary>
internal static class HostingExtensions
{
    /// <summary>The address the bot listens on when none is configured (the Bot Framework's usual local port).</summary>
    public const string DefaultUrl = "http://localhost:3978";

    public static WebApplicationBuilder AddCoachBotHost(this WebApplicationBuilder builder)
    {
        SettingsFiles.AddBesideProgram(builder.Configuration, builder.Environment);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.AddCoaching();
        builder.AddSlack();
        builder.AddTeams();
        builder.Services.AddProblemDetails();
        builder.Services.AddHostedService<TurnWorker>();
        builder.Services.AddSingleton<GroupScheduler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<GroupScheduler>());
        builder.AddDevChat();
        return builder;
    }

    public static WebApplication MapCoachBot(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapHealth();
        app.MapSlack();
        app.MapDevChat();
        app.MapTeams();
        return app;
    }
}
