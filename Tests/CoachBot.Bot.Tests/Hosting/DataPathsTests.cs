using CoachBot.Bot.Hosting;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Speech.Whisper;
using CoachBot.Coaching.Storage;
using CoachBot.Coaching.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CoachBot.Bot.Tests.Hosting;

public sealed class DataPathsTests
{
    [Fact]
    public void AddDataPaths_RelativeDefaults_LiveUnderTheRepositoryRootWhateverTheWorkingDirectory()
    {
        using var host = Host([]);

        Assert.Equal(Path.Combine(TestData.RepositoryRoot, "data", "coachbot.db"), host.Services.GetRequiredService<IOptions<StorageOptions>>().Value.DatabasePath);
        Assert.Equal(Path.Combine(TestData.RepositoryRoot, "data", "models", "ggml-base.en.bin"), host.Services.GetRequiredService<IOptions<WhisperOptions>>().Value.ModelPath);
    }

    [Fact]
    public void AddDataPaths_DataRootSet_RelativePathsResolveAgainstItAndAbsoluteOnesStay()
    {
        using var folder = new TempFolder();
        using var host = Host(new()
        {
            [DataPaths.RootKey] = folder.Path,
            ["Speech:Whisper:ModelPath"] = "/models/ggml-small.en.bin",
        });

        Assert.Equal(folder.File(Path.Combine("data", "coachbot.db")), host.Services.GetRequiredService<IOptions<StorageOptions>>().Value.DatabasePath);
        Assert.Equal("/models/ggml-small.en.bin", host.Services.GetRequiredService<IOptions<WhisperOptions>>().Value.ModelPath);
    }

    [Theory]
    [InlineData("http://[::]:3978", "http://localhost:3978")]
    [InlineData("http://0.0.0.0:3978/", "http://localhost:3978")]
    [InlineData("http://+:80", "http://localhost:80")]
    [InlineData("http://localhost:3978", "http://localhost:3978")]
    [InlineData("http://127.0.0.1:41234", "http://127.0.0.1:41234")]
    public void StartupBanner_Browsable_TurnsWildcardHostsIntoLocalhost(string address, string expected)
    {
        Assert.Equal(expected, StartupBanner.Browsable(address));
    }

    private static IHost Host(Dictionary<string, string?> settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = Path.GetTempPath() });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName);
        builder.Services.AddOptions<WhisperOptions>().BindConfiguration(WhisperOptions.SectionName);
        builder.AddDataPaths();
        return builder.Build();
    }
}
