using CoachBot.Adapters.Teams.Connector;
using CoachBot.Adapters.Teams.Protocol;
using CoachBot.Adapters.Teams.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CoachBot.Adapters.Teams.Tests.Connector;

public sealed class ConnectorClientTests : IAsyncLifetime
{
    private FakeBotFramework _fake = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeBotFramework.StartAsync();
        _services = TeamsServices.Build(TeamsServices.For(_fake));
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private ConnectorClient Client => _services.GetRequiredService<ConnectorClient>();

    private ConversationRoute Route => new(_fake.ServiceUrl, "19:abc@thread.tacv2;messageid=42");

    [Fact]
    public async Task Send_ReplyToActivity_PostsWithTheBotTokenToTheEscapedPath()
    {
        var id = await Client.SendAsync(Route, new Activity { Type = "message", Text = "hi" }, "42", default);

        var call = Assert.Single(_fake.ConnectorCalls);
        Assert.Equal("POST", call.Method);
        Assert.Equal("/v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D42/activities/42", call.Path);
        Assert.Equal("Bearer bot-token-1", call.Authorization);
        Assert.Equal("42", (string?)call.Json!["replyToId"]);
        Assert.Equal("hi", (string?)call.Json!["text"]);
        Assert.StartsWith("activity-", id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_Placeholder_PutsTheActivity()
    {
        // Teams updates only an activity that exists: the placeholder is posted first.
        var placeholder = await Client.SendAsync(Route, new Activity { Type = "message", Text = "Reading your answer…" }, null, default);
        await Client.UpdateAsync(Route, placeholder!, new Activity { Type = "message", Text = "card" }, default);

        var call = _fake.ConnectorCalls[^1];
        Assert.Equal("PUT", call.Method);
        Assert.EndsWith("/activities/" + placeholder, call.Path, StringComparison.Ordinal);
        Assert.Equal(placeholder, (string?)call.Json!["id"]);
    }

    [Fact]
    public async Task SendTyping_PostsATypingActivity()
    {
        await Client.SendTypingAsync(Route, default);

        Assert.Equal("typing", (string?)Assert.Single(_fake.ConnectorCalls).Json!["type"]);
    }

    [Fact]
    public async Task CreateConversation_ReturnsTheNewConversationId()
    {
        var id = await Client.CreateConversationAsync(_fake.ServiceUrl, new ConversationParameters
        {
            Bot = new ChannelAccount { Id = "28:bot" },
            Members = [new ChannelAccount { Id = "29:user-1" }],
            TenantId = "tenant-1",
        }, default);

        Assert.StartsWith("a:created-", id, StringComparison.Ordinal);
        var call = Assert.Single(_fake.ConnectorCalls);
        Assert.Equal("/v3/conversations", call.Path);
        Assert.Equal("tenant-1", (string?)call.Json!["tenantId"]);
    }

    [Fact]
    public async Task Send_TooManyRequestsThenServerError_RetriesUntilItSucceeds()
    {
        _fake.ConnectorFailures.Enqueue(429);
        _fake.ConnectorFailures.Enqueue(503);

        await Client.SendAsync(Route, new Activity { Type = "message", Text = "hi" }, null, default);

        Assert.Equal(3, _fake.ConnectorCalls.Count);
        Assert.Empty(_fake.ConnectorFailures);
    }

    [Theory]
    [InlineData(502)]
    [InlineData(FakeBotFramework.DropConnection)]
    public async Task Send_UnlessMaybeDeliveredAndTheAnswerIsLostAfterDelivery_ReportsDeliveryUnknownWithoutPostingAgain(int failure)
    {
        _fake.FailuresAfterPosting.Enqueue(failure);

        var error = await Assert.ThrowsAsync<ConnectorException>(() =>
            Client.SendAsync(Route, new Activity { Type = "message", Text = "hi" }, null, PostRetries.UnlessMaybeDelivered, default));

        Assert.True(error.DeliveryUnknown);
        Assert.Single(_fake.ConnectorCalls);
        Assert.Single(_fake.Messages);
    }

    [Fact]
    public async Task Send_UnlessMaybeDeliveredAndTooManyRequests_RetriesUntilItSucceeds()
    {
        _fake.ConnectorFailures.Enqueue(429);

        await Client.SendAsync(Route, new Activity { Type = "message", Text = "hi" }, null, PostRetries.UnlessMaybeDelivered, default);

        Assert.Equal(2, _fake.ConnectorCalls.Count);
        Assert.Single(_fake.Messages);
    }

    [Fact]
    public async Task Send_ClientError_FailsWithoutRetry()
    {
        _fake.ConnectorFailures.Enqueue(400);

        var error = await Assert.ThrowsAsync<ConnectorException>(() => Client.SendAsync(Route, new Activity { Type = "message" }, null, default));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.Status);
        Assert.Single(_fake.ConnectorCalls);
    }

    [Fact]
    public async Task Send_UntrustedServiceUrl_SendsNothingAndNoToken()
    {
        // The same fake under another host name is not on the trusted list.
        var untrusted = new ConversationRoute($"http://localhost:{_fake.BaseAddress.Port}/", "a:1");

        await Assert.ThrowsAsync<ConnectorException>(() => Client.SendAsync(untrusted, new Activity { Type = "message" }, null, default));

        Assert.Empty(_fake.Calls);
    }

    [Theory]
    [InlineData("https://smba.trafficmanager.net/emea/", true)]
    [InlineData("https://europe.webchat.botframework.com/", true)]
    [InlineData("https://botframework.com.evil.example/", false)]
    [InlineData("https://evilbotframework.com/", false)]
    [InlineData("http://smba.trafficmanager.net/emea/", false)]
    [InlineData("https://user@smba.trafficmanager.net/emea/", false)]
    [InlineData("http://127.0.0.1:1/", false)]
    public void IsTrusted_ServiceUrls_OnlyBotFrameworkHostsOverHttps(string url, bool trusted)
    {
        Assert.Equal(trusted, Client.IsTrusted(url));
    }
}
