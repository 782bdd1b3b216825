using System.Net.WebSockets;
using System.Text.Json;
using CoachBot.Adapters.Slack.SocketMode;
using CoachBot.Adapters.Slack.Tests.Support;
using CoachBot.Coaching.Queue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CoachBot.Adapters.Slack.Tests.SocketMode;

public sealed class SlackSocketModeClientTests : IAsyncLifetime
{
    private readonly RecordingIntake _intake = new();
    private FakeSlack _slack = null!;

    public async Task InitializeAsync() => _slack = await FakeSlack.StartAsync();

    public async Task DisposeAsync() => await _slack.DisposeAsync();

    private IHost Start() => SlackServices.Build(_intake, SlackServices.Against(_slack, ("Slack:AppToken", "xapp-test"), ("Slack:MaxReconnectDelaySeconds", "1")));

    private static object Envelope(string id, string type, object payload) => new { envelope_id = id, type, payload, accepts_response_payload = false };

    [Fact]
    public async Task Envelopes_EventCommandAndButton_AreQueuedAndAcknowledged()
    {
        var acks = new List<string>();
        var acknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _slack.SocketScript = async (socket, _) =>
        {
            await FakeSlack.SendAsync(socket, new { type = "hello", num_connections = 1 });
            await FakeSlack.SendAsync(socket, Envelope("env-1", "events_api", JsonSerializer.Deserialize<JsonElement>(SlackPayloads.Message("my answer", ts: "5.5").ToJsonString())));
            await FakeSlack.SendAsync(socket, Envelope("env-2", "slash_commands", SlackPayloads.Command("next")));
            await FakeSlack.SendAsync(socket, Envelope("env-3", "interactive", JsonSerializer.Deserialize<JsonElement>(SlackPayloads.ButtonPress("coach_hint", "gen-001").ToJsonString())));
            for (var i = 0; i < 3; i++)
            {
                using var ack = await FakeSlack.ReceiveAsync(socket, TimeSpan.FromSeconds(60));
                acks.Add(ack!.RootElement.GetProperty("envelope_id").GetString()!);
            }

            acknowledged.SetResult();
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        };

        using var host = Start();
        await host.StartAsync();
        // The turn is stored before its envelope is acknowledged, so wait for the acknowledgements themselves.
        await acknowledged.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await host.StopAsync();

        Assert.Equal(["env-1", "env-2", "env-3"], acks);
        Assert.Equal([TurnIntent.Answer, TurnIntent.Command, TurnIntent.CardAction], _intake.Turns.Select(t => t.Intent));
        Assert.Equal("Bearer xapp-test", _slack.CallsTo("apps.connections.open")[0].Authorization);
        // Each turn got its placeholder from the same code path as over HTTP.
        Assert.Equal(3, _slack.CallsTo("chat.postMessage").Count);
    }

    [Fact]
    public async Task Disconnect_RefreshRequested_ReconnectsAndKeepsServing()
    {
        _slack.SocketScript = async (socket, number) =>
        {
            await FakeSlack.SendAsync(socket, new { type = "hello" });
            if (number == 1)
            {
                await FakeSlack.SendAsync(socket, new { type = "disconnect", reason = "refresh_requested" });
                await FakeSlack.ReceiveAsync(socket, TimeSpan.FromSeconds(30)); // the client's close
                return;
            }

            await FakeSlack.SendAsync(socket, Envelope("env-after", "events_api", JsonSerializer.Deserialize<JsonElement>(SlackPayloads.Message("after refresh", ts: "6.6").ToJsonString())));
            await FakeSlack.ReceiveAsync(socket, TimeSpan.FromSeconds(60));
        };

        using var host = Start();
        await host.StartAsync();
        await _intake.WaitForAsync(1);
        await host.StopAsync();

        Assert.True(_slack.SocketConnections >= 2);
        Assert.Equal("after refresh", Assert.Single(_intake.Turns).Text);
        Assert.True(_slack.CallsTo("apps.connections.open").Count >= 2);
    }

    [Fact]
    public async Task AbruptClose_ConnectionDropped_ReconnectsWithBackoff()
    {
        _slack.SocketScript = async (socket, number) =>
        {
            await FakeSlack.SendAsync(socket, new { type = "hello" });
            if (number == 1)
            {
                socket.Abort(); // no close handshake: the TCP connection just ends
                return;
            }

            await FakeSlack.SendAsync(socket, Envelope("env-x", "events_api", JsonSerializer.Deserialize<JsonElement>(SlackPayloads.Message("after drop", ts: "7.7").ToJsonString())));
            await FakeSlack.ReceiveAsync(socket, TimeSpan.FromSeconds(60));
        };

        using var host = Start();
        await host.StartAsync();
        await _intake.WaitForAsync(1);
        await host.StopAsync();

        Assert.Equal("after drop", Assert.Single(_intake.Turns).Text);
        Assert.True(_slack.SocketConnections >= 2);
    }

    [Fact]
    public async Task RetriedEnvelope_SameMessage_IsQueuedOnce()
    {
        var acks = 0;
        _slack.SocketScript = async (socket, _) =>
        {
            await FakeSlack.SendAsync(socket, new { type = "hello" });
            var payload = JsonSerializer.Deserialize<JsonElement>(SlackPayloads.Message("once", ts: "8.8").ToJsonString());
            await FakeSlack.SendAsync(socket, Envelope("env-a", "events_api", payload));
            await FakeSlack.SendAsync(socket, new { envelope_id = "env-b", type = "events_api", payload, retry_attempt = 1, retry_reason = "timeout" });
            for (var i = 0; i < 2; i++)
            {
                using var ack = await FakeSlack.ReceiveAsync(socket, TimeSpan.FromSeconds(60));
                Interlocked.Increment(ref acks);
            }

            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        };

        using var host = Start();
        await host.StartAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Volatile.Read(ref acks) < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await host.StopAsync();

        Assert.Equal(2, acks);
        Assert.Single(_intake.Turns);
    }

    [Fact]
    public async Task NoAppToken_SocketMode_StaysOff()
    {
        using var host = SlackServices.Build(_intake, SlackServices.Against(_slack));
        await host.StartAsync();
        await host.StopAsync();

        Assert.Empty(_slack.CallsTo("apps.connections.open"));
        Assert.Equal(0, host.Services.GetRequiredService<SlackSocketModeClient>().Acknowledged);
    }
}
