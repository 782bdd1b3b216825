using Microsoft.Extensions.Options;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Queue;

namespace CoachBot.Bot.DevChat;

/// <summary>Wires the web dev chat (channel "dev") and the recorder page into the host.</summary>
internal static class DevChatExtensions
{
    public static WebApplicationBuilder AddDevChat(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DevChatOptions>().BindConfiguration(DevChatOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DevChatOptions>, DevChatOptionsValidation>();
        builder.Services.AddSingleton<DevConversations>();
        // Several instances on one database (PostgreSQL) share the conversations through its feed; one instance keeps them in memory.
        builder.Services.AddSingleton<IDevChatLog>(sp => sp.GetService<IConversationFeed>() is { } feed
            ? ActivatorUtilities.CreateInstance<SharedDevConversations>(sp, feed)
            : sp.GetRequiredService<DevConversations>());
        builder.Services.AddSingleton<DevChatAccess>();
        builder.Services.AddSingleton<ITurnReplier, DevChatReplier>();
        return builder;
    }

    /// <summary>The recorder (always: other channels send their users there) and the dev chat (when enabled).</summary>
    public static WebApplication MapDevChat(this WebApplication app)
    {
        app.MapRecorder();
        app.MapDevChatPage();
        app.MapDevChatApi();
        if (app.Services.GetRequiredService<DevChatAccess>().Enabled && !DevChatAssets.HasRenderer)
        {
            Log.DevRendererMissing(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DevChatExtensions).FullName!));
        }

        return app;
    }
}
