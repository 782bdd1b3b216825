using System.Net;
using CoachBot.Bot.DevChat;
using CoachBot.Bot.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace CoachBot.Bot.Tests.DevChat;

public sealed class DevChatAccessRulesTests
{
    private const string Token = "g0tAmUh9gkxBXKWXYXToEDdcsuuOeIRtKepUQTmgF9c=";
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("http://localhost:3978", 200)]
    [InlineData("http://127.0.0.1:5000", 200)]
    [InlineData("http://[::1]:5000", 200)]
    [InlineData("http://0.0.0.0:3978", 403)]
    [InlineData("http://[::]:3978", 403)]
    [InlineData("http://+:80", 403)]
    public void Check_LoopbackRequestWithoutToken_DependsOnWhereTheHostListens(string listening, int expected)
    {
        var access = Access(listening, token: null);

        Assert.Equal(expected, access.Check(Request("127.0.0.1", "localhost")).Status);
    }

    [Fact]
    public void Check_HostListeningBeyondLoopback_WantsTheTokenEvenFromLoopback()
    {
        const string token = Token;
        var access = Access("http://0.0.0.0:3978", token);
        var without = Request("127.0.0.1", "localhost");
        var with = Request("127.0.0.1", "localhost");
        with.Request.Headers[DevChatAccess.HeaderName] = token;

        Assert.Equal(401, access.Check(without).Status);
        Assert.True(access.Check(with).IsAllowed);
    }

    [Theory]
    [InlineData("X-Forwarded-For", "203.0.113.9")]
    [InlineData("Forwarded", "for=203.0.113.9;proto=https")]
    [InlineData("X-Forwarded-Host", "coach.example.com")]
    public void Check_LoopbackRequestRelayedByALocalProxy_IsNotLocal(string header, string value)
    {
        var relayed = Request("127.0.0.1", "localhost");
        relayed.Request.Headers[header] = value;

        Assert.Equal(403, Access("http://localhost:3978", token: null).Check(relayed).Status);
        Assert.Equal(401, Access("http://localhost:3978", Token).Check(relayed).Status);
    }

    [Fact]
    public void Check_WrongTokensInARow_SlowsThatClientOnly()
    {
        var access = Access("http://0.0.0.0:3978", Token);
        DefaultHttpContext From(string remote, string token)
        {
            var context = Request(remote, "coach.example.com");
            context.Request.Headers[DevChatAccess.HeaderName] = token;
            return context;
        }

        for (var i = 0; i < TokenGuesses.Burst; i++)
        {
            Assert.Equal(401, access.Check(From("198.51.100.7", $"guess-{i}")).Status);
        }

        var limited = access.Check(From("198.51.100.7", Token));
        Assert.Equal(429, limited.Status);
        Assert.NotNull(limited.RetryAfter);
        Assert.True(access.Check(From("198.51.100.8", Token)).IsAllowed);

        _time.Advance(TokenGuesses.Refill);
        Assert.True(access.Check(From("198.51.100.7", Token)).IsAllowed);
        Assert.Equal(401, access.Check(From("198.51.100.7", "guess-again")).Status);
        Assert.Equal(429, access.Check(From("198.51.100.7", "guess-more")).Status);
    }

    [Fact]
    public void Check_WrongTokensThroughALocalProxy_SlowOnlyTheClientTheProxyNamed()
    {
        var access = Access("http://localhost:3978", Token);
        DefaultHttpContext Through(string forwardedFor, string token)
        {
            var context = Request("127.0.0.1", "localhost");
            context.Request.Headers["X-Forwarded-For"] = forwardedFor;
            context.Request.Headers[DevChatAccess.HeaderName] = token;
            return context;
        }

        // A client that writes its own X-Forwarded-For gets the proxy's address appended; the last one counts.
        for (var i = 0; i < TokenGuesses.Burst; i++)
        {
            Assert.Equal(401, access.Check(Through($"10.9.9.{i}, 198.51.100.1", $"guess-{i}")).Status);
        }

        Assert.Equal(429, access.Check(Through("198.51.100.1", Token)).Status);
        Assert.Equal(429, access.Check(Through("10.9.9.77, 198.51.100.1", Token)).Status);
        Assert.True(access.Check(Through("198.51.100.2", Token)).IsAllowed);

        var forwarded = Request("127.0.0.1", "localhost");
        forwarded.Request.Headers["Forwarded"] = "for=198.51.100.3;proto=https";
        forwarded.Request.Headers[DevChatAccess.HeaderName] = Token;
        Assert.True(access.Check(forwarded).IsAllowed);
    }

    [Fact]
    public void Check_LocalProcessInventingForwardedAddresses_IsStillSlowedDown()
    {
        var access = Access("http://localhost:3978", Token);
        DefaultHttpContext Through(int client, string token)
        {
            var context = Request("127.0.0.1", "localhost");
            context.Request.Headers["X-Forwarded-For"] = $"10.{client / 65536 % 256}.{client / 256 % 256}.{client % 256}";
            context.Request.Headers[DevChatAccess.HeaderName] = token;
            return context;
        }

        var refused = 0;
        for (var i = 0; i < TokenGuesses.Burst * 20; i++)
        {
            refused += access.Check(Through(i, $"guess-{i}")).Status == 429 ? 1 : 0;
        }

        Assert.True(refused >= TokenGuesses.Burst * 10, $"{refused} guesses refused");
    }

    private DevChatAccess Access(string listening, string? token)
    {
        var server = new AddressesOnlyServer();
        server.Features.Get<IServerAddressesFeature>()!.Addresses.Add(listening);
        return new DevChatAccess(Options.Create(new DevChatOptions { Token = token }), new HostingEnvironment { EnvironmentName = Environments.Development }, server, _time);
    }

    private static DefaultHttpContext Request(string remote, string host)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        context.Request.Host = new HostString(host);
        return context;
    }

    private sealed class AddressesOnlyServer : IServer
    {
        public AddressesOnlyServer() => Features.Set<IServerAddressesFeature>(new ServerAddressesFeature());

        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }
}
