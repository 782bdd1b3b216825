using System.Net;
using CoachBot.Bot.DevChat;
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
        const string token = "0123456789abcdef-token";
        var access = Access("http://0.0.0.0:3978", token);
        var without = Request("127.0.0.1", "localhost");
        var with = Request("127.0.0.1", "localhost");
        with.Request.Headers[DevChatAccess.HeaderName] = token;

        Assert.Equal(401, access.Check(without).Status);
        Assert.True(access.Check(with).IsAllowed);
    }

    private static DevChatAccess Access(string listening, string? token)
    {
        var server = new AddressesOnlyServer();
        server.Features.Get<IServerAddressesFeature>()!.Addresses.Add(listening);
        return new DevChatAccess(Options.Create(new DevChatOptions { Token = token }), new HostingEnvironment { EnvironmentName = Environments.Development }, server);
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
