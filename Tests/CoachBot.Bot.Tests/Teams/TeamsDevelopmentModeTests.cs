using System.Net;
using System.Text;
using CoachBot.Adapters.Teams.Tests.Support;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Queue;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CoachBot.Bot.Tests.Teams;

/// <summary>A newcomer runs the host with no Teams settings: it starts, and /api/messages serves this machine only.</summary>
public sealed class TeamsDevelopmentModeTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("203.0.113.9", false)]
    public async Task Messages_NoTeamsSettings_OnlyLoopbackIsAcceptedAndRepliesCarryNoToken(string remote, bool accepted)
    {
        // The emulator's role: a local service that sends activities and receives replies, with no credentials.
        await using var emulator = await FakeBotFramework.StartAsync();
        await using var factory = new CoachBotFactory(_folder.File("dev.db"))
            .WithServices(s => s.AddSingleton<IStartupFilter>(new RemoteAddress(IPAddress.Parse(remote))));
        using var client = factory.CreateClient();
        var activity = emulator.Message("dev-1", "help", "bot");
        activity["channelId"] = "emulator";

        using var response = await client.PostAsync("/api/messages", new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(accepted ? HttpStatusCode.OK : HttpStatusCode.Unauthorized, response.StatusCode);
        var counts = await factory.Services.GetRequiredService<ITurnQueue>().CountsAsync(default);
        Assert.Equal(accepted ? 1 : 0, counts.Values.Sum());
        if (accepted)
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!emulator.ConnectorCalls.Any(c => c.Json?["attachments"] is not null))
            {
                Assert.True(DateTime.UtcNow < deadline, "no reply reached the local emulator");
                await Task.Delay(25);
            }

            Assert.All(emulator.ConnectorCalls, c => Assert.Null(c.Authorization));
            Assert.Equal(0, emulator.TokenRequests);
        }
    }

    [Theory]
    [InlineData("X-Forwarded-For", "198.51.100.7")]
    [InlineData("Forwarded", "for=198.51.100.7")]
    [InlineData("Host", "coachbot.example.com")]
    public async Task Messages_NoTeamsSettings_RelayedThroughALocalTunnel_IsRefused(string header, string value)
    {
        // A tunnel or reverse proxy on this machine connects from loopback; what it relays must not count as local.
        await using var emulator = await FakeBotFramework.StartAsync();
        await using var factory = new CoachBotFactory(_folder.File("tunnel.db"))
            .WithServices(s => s.AddSingleton<IStartupFilter>(new RemoteAddress(IPAddress.Loopback)));
        using var client = factory.CreateClient();
        var activity = emulator.Message("dev-2", "help", "bot");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json") };
        if (header == "Host")
        {
            request.Headers.Host = value;
        }
        else
        {
            request.Headers.Add(header, value);
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, (await factory.Services.GetRequiredService<ITurnQueue>().CountsAsync(default)).Values.Sum());
    }

    [Fact]
    public async Task Messages_NoTeamsSettingsInProduction_LoopbackIsRefusedToo()
    {
        // A Slack-only production host behind a same-machine proxy that adds no forwarding header: every caller would
        // look local, so outside Development no app id means nothing is accepted at all.
        await using var emulator = await FakeBotFramework.StartAsync();
        await using var factory = new CoachBotFactory(_folder.File("prod.db"))
            .WithEnvironment("Production")
            .WithServices(s => s.AddSingleton<IStartupFilter>(new RemoteAddress(IPAddress.Loopback)));
        using var client = factory.CreateClient();
        var activity = emulator.Message("prod-1", "help", "bot");
        activity["channelId"] = "emulator";

        using var response = await client.PostAsync("/api/messages", new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("not configured", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, (await factory.Services.GetRequiredService<ITurnQueue>().CountsAsync(default)).Values.Sum());
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
