using System.Text.Json.Nodes;
using CoachBot.Adapters.Slack.Rendering;
using CoachBot.Adapters.Slack.Tests.Support;
using CoachBot.Adapters.Slack.WebApi;
using CoachBot.Coaching.Queue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoachBot.Adapters.Slack.Tests.WebApi;

/// <summary>The one-message rule against the fake Slack: a slot in doubt is found by its metadata, never posted twice.</summary>
public sealed class SlackDeliveryTests : IAsyncLifetime
{
    private static readonly SlackMessage Card = new("Overall 72/100", [new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = "Overall 72/100" } }]);
    private readonly InMemoryDeliveryLedger _ledger = new(TimeProvider.System);
    private FakeSlack _slack = null!;
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlack.StartAsync();
        _host = SlackServices.Build(new RecordingIntake(), SlackServices.Against(_slack));
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _slack.DisposeAsync();
    }

    private SlackDelivery Delivery => new(_host.Services.GetRequiredService<SlackWebApi>(), TimeProvider.System, NullLogger<SlackDelivery>.Instance, _ledger);

    [Fact]
    public async Task Deliver_PlaceholderPostCutOff_FindsItByMetadataAndUpdatesIt()
    {
        var placeholder = await Delivery.PostPlaceholderAsync("slack:Ev1", "D1", "1700000001.000001", "Reading your answer…", default);
        // As after a crash: the slot was begun, the ts never stored.
        await _ledger.ForgetAsync("slack:Ev1", DeliverySlots.Main, default);
        await _ledger.BeginAsync("slack:Ev1", DeliverySlots.Main, "D1", "1700000001.000001", null, default);

        var (shown, method) = await Delivery.DeliverAsync("slack:Ev1", DeliverySlots.Main, "D1", "1700000001.000001", null, Card, default);

        Assert.Equal("chat.update", method);
        Assert.Equal(placeholder!.Ts, shown.Ts);
        var only = Assert.Single(_slack.VisibleIn("D1"));
        Assert.Equal("Overall 72/100", only.Text);
        Assert.Equal("true", _slack.CallsTo("conversations.replies").Single().Body["include_all_metadata"]!.ToString());
    }

    [Fact]
    public async Task Deliver_InDoubtButNothingOnSlack_PostsOnce()
    {
        await _ledger.BeginAsync("slack:Ev2", DeliverySlots.Main, "C1", null, null, default);
        await Delivery.PostPlaceholderAsync("slack:Other", "C1", null, "Reading your answer…", default);

        var (_, method) = await Delivery.DeliverAsync("slack:Ev2", DeliverySlots.Main, "C1", null, null, Card, default);

        Assert.Equal("chat.postMessage", method);
        Assert.Single(_slack.CallsTo("conversations.history"));
        Assert.Equal(2, _slack.VisibleIn("C1").Count);
        Assert.Equal("slack:Ev2", _slack.VisibleIn("C1")[^1].Metadata!["event_payload"]!["turn"]!.ToString());
    }

    [Fact]
    public async Task Deliver_LookUpRefused_PostsRatherThanFailing()
    {
        _slack.Override("conversations.history", _ => (200, "{\"ok\":false,\"error\":\"missing_scope\"}", null));
        await _ledger.BeginAsync("slack:Ev3", DeliverySlots.Main, "G1", null, null, default);

        var (_, method) = await Delivery.DeliverAsync("slack:Ev3", DeliverySlots.Main, "G1", null, null, Card, default);

        Assert.Equal("chat.postMessage", method);
        Assert.Single(_slack.VisibleIn("G1"));
    }

    [Fact]
    public async Task PostPlaceholder_SlackRefusesThePost_LeavesNoSlotToLookFor()
    {
        _slack.Override("chat.postMessage", _ => (200, "{\"ok\":false,\"error\":\"channel_not_found\"}", null));

        var refused = await Assert.ThrowsAsync<SlackApiException>(() => Delivery.PostPlaceholderAsync("slack:Ev4", "C404", null, "One moment…", default));

        Assert.Equal("channel_not_found", refused.Error);
        Assert.False(await Delivery.HasStartedAsync("slack:Ev4", DeliverySlots.Main, default));
    }

    [Fact]
    public async Task PostPlaceholder_ReplyGotThereFirst_PostsNothing()
    {
        await Delivery.DeliverAsync("slack:Ev5", DeliverySlots.Main, "D1", null, null, Card, default);

        var placeholder = await Delivery.PostPlaceholderAsync("slack:Ev5", "D1", null, "Reading your answer…", default);

        Assert.Null(placeholder);
        Assert.Single(_slack.VisibleIn("D1"));
    }
}
