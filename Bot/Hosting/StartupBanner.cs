using CoachBot.Bot.DevChat;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CoachBot.Bot.Hosting;

/// <summary>The last line of start-up: the address to open (or, without the dev chat, where the host answers).</summary>
internal static class StartupBanner
{
    public static WebApplication MapStartupBanner(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupBanner).FullName!);
            var addresses = app.Services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
            var address = Browsable(addresses?.FirstOrDefault() ?? HostingExtensions.DefaultUrl);
            if (app.Services.GetRequiredService<DevChatAccess>().Enabled)
            {
                Log.HostReadyWithDevChat(logger, address);
            }
            else
            {
                Log.HostReady(logger, address);
            }
        });
        return app;
    }

    /// <summary>An address a browser on this machine can open: a wildcard host (0.0.0.0, [::], +, *) becomes localhost.</summary>
    internal static string Browsable(string address)
    {
        var trimmed = address.TrimEnd('/');
        foreach (var wildcard in new[] { "://0.0.0.0", "://[::]", "://+", "://*" })
        {
            var at = trimmed.IndexOf(wildcard, StringComparison.Ordinal);
            if (at >= 0)
            {
                return string.Concat(trimmed.AsSpan(0, at), "://localhost", trimmed.AsSpan(at + wildcard.Length));
            }
        }

        return trimmed;
    }
}
