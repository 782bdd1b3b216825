using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CoachBot.Adapters.Teams.Tests.Support;

/// <summary>The Teams adapter's services as the host registers them, configured for a fake Bot Framework.</summary>
public static class TeamsServices
{
    public const string AppId = "00000000-0000-0000-0000-0000000000b1";

    /// <summary>Settings that point the adapter at <paramref name="fake"/> with app id <see cref="AppId"/>.</summary>
    public static Dictionary<string, string?> For(FakeBotFramework fake) => new()
    {
        ["Teams:AppId"] = AppId,
        ["Teams:AppPassword"] = "test-secret",
        ["Teams:OpenIdMetadataUrl"] = fake.MetadataUrl,
        ["Teams:TokenEndpoint"] = fake.TokenEndpoint,
        ["Teams:TrustedServiceUrlHosts:0"] = fake.HostAndPort,
        ["Teams:DownloadHosts:0"] = fake.HostAndPort,
        ["Teams:ConnectorRetryBaseDelayMilliseconds"] = "1",
        ["Teams:GraphBaseUrl"] = fake.GraphBaseUrl,
        ["Teams:GraphAuthority"] = fake.GraphAuthority,
    };

    public static ServiceProvider Build(IDictionary<string, string?> settings, TimeProvider? time = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(settings);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        // The host binds Audio in AddCoaching; here only the options the fetcher reads.
        builder.Services.AddOptions<CoachBot.Coaching.Audio.AudioOptions>().BindConfiguration(CoachBot.Coaching.Audio.AudioOptions.SectionName);
        builder.AddTeams();
        return builder.Services.BuildServiceProvider();
    }
}
