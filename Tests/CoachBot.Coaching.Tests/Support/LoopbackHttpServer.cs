using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CoachBot.Coaching.Tests.Support;

/// <summary>
/// A real Kestrel server on 127.0.0.1 (port 0) that plays a provider or platform: every fake in the tests (Whisper,
/// LLM and embedding providers, Slack, the Bot Framework) is one of these with its own routes. Shared with the other
/// test projects as a linked file.
/// </summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private LoopbackHttpServer(WebApplication app) => _app = app;

    /// <summary>Where the server listens, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>How many requests reached the server.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Starts a server that answers every request with <paramref name="handler"/>.</summary>
    public static Task<LoopbackHttpServer> StartAsync(RequestDelegate handler) => StartAsync(app => app.Run(handler));

    /// <summary>Starts a server whose middleware and routes <paramref name="configure"/> adds.</summary>
    public static async Task<LoopbackHttpServer> StartAsync(Action<WebApplication> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new LoopbackHttpServer(app);
        app.Use(next => context =>
        {
            Interlocked.Increment(ref server._requests);
            return next(context);
        });
        configure(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
