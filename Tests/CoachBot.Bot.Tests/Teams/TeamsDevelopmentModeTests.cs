using System.Net;
using System.Text;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Queue;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CoachBot.Bot.Tests.Teams;

/// <summary>A newcomer runs the host with no Teams settings: it starts, and /api/messages serves this machine only.</summary>
public sealed class TeamsDevelopmentModeTests : IDisposable
{
    private const string Activity = """
        {"type":"message","id":"dev-1","channelId":"emulator","serviceUrl":"http://localhost:1/",
         "from":{"id":"user-1"},"recipient":{"id":"bot"},"conversation":{"id":"conv-1"},"text":"help"}
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("127.0.0.1", HttpStatusCode.OK, 1)]
    [InlineData("::1", HttpStatusCode.OK, 1)]
    [InlineData("203.0.113.9", HttpStatusCode.Unauthorized, 0)]
    public async Task Messages_NoTeamsSettings_OnlyLoopbackIsAccepted(string remote, HttpStatusCode expected, int queued)
    {
        await using var factory = new CoachBotFactory(_folder.File("dev.db"))
            .WithServices(s => s.AddSingleton<IStartupFilter>(new RemoteAddress(IPAddress.Parse(remote))));
        using var client = factory.CreateClient();

        using var response = await client.PostAsync("/api/messages", new StringContent(Activity, Encoding.UTF8, "application/json"));

        Assert.Equal(expected, response.StatusCode);
        var counts = await factory.Services.GetRequiredService<ITurnQueue>().CountsAsync(default);
        Assert.Equal(queued, counts.Values.Sum());
    }

    /// <summary>Sets the caller's address, which the in-memory test server leaves open.</summary>
    private sealed class RemoteAddress(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) =>
            {
                context.Connection.RemoteIpAddress = address;
                return following(context);
            });
            next(app);
        };
    }
}
