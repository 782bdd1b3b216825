using CoachBot.Adapters.Slack;
using CoachBot.Adapters.Teams;
using CoachBot.Bot.DevChat;
using CoachBot.Bot.Knowledge;
using CoachBot.Coaching;
using Microsoft.Extensions.Configuration.Memory;

namespace CoachBot.Bot.Hosting;

/// <summary>The composition root: what the bot host is made of.</summary>
internal static class HostingExtensions
{
    /// <summary>The address the bot listens on when none is configured (the Bot Framework's usual local port).</summary>
    public const string DefaultUrl = "http://localhost:3978";

    public static WebApplicationBuilder AddCoachBotHost(this WebApplicationBuilder builder)
    {
        // Defaults under every settings file: ASP.NET Core's per-request lines carry query strings, and query strings
        // here carry secrets (the dev chat's ?access= token, the recorder's grant), so they stay out of the logs
        // unless someone asks for them in their own settings.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?> { ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning" },
        });
        SettingsFiles.AddBesideProgram(builder.Configuration, builder.Environment);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.AddCoaching();
        builder.AddStorage();
        builder.AddDataPaths();
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
        app.MapPolicyPages();
        app.MapArticlePages();
        app.MapSlack();
        app.MapDevChat();
        app.MapTeams();
        app.MapStartupBanner();
        return app;
    }
}
