using CoachBot.Coaching.Speech;
using CoachBot.Coaching.Speech.Whisper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Tests.Speech.Whisper;

public sealed class WhisperRegistrationTests
{
    [Fact]
    public void AddWhisperTranscribers_Default_RegistersBothEnginesOnceEach()
    {
        using var provider = Services(new Dictionary<string, string?>(), twice: true);

        var names = provider.GetServices<ITranscriber>().Select(t => t.Name).ToArray();

        Assert.Equal(["whisper.cpp", "whisper-api"], names);
    }

    [Fact]
    public void AddWhisperTranscribers_ConfiguredFromSettings_BindsBothSections()
    {
        using var provider = Services(new Dictionary<string, string?>
        {
            ["Speech:Whisper:ModelPath"] = "/models/ggml-small.en.bin",
            ["Speech:Whisper:Threads"] = "3",
            ["Speech:WhisperApi:BaseUrl"] = "http://127.0.0.1:8080",
        });

        Assert.Equal("/models/ggml-small.en.bin", provider.GetRequiredService<IOptions<WhisperOptions>>().Value.ModelPath);
        Assert.Equal(3, provider.GetRequiredService<IOptions<WhisperOptions>>().Value.Threads);
        Assert.Equal("http://127.0.0.1:8080", provider.GetRequiredService<IOptions<WhisperApiOptions>>().Value.BaseUrl);
    }

    [Theory]
    [InlineData("Speech:Whisper:ModelSha256", "not-a-hash", "ModelSha256")]
    [InlineData("Speech:Whisper:ModelUrl", "ftp://models.example/ggml.bin", "ModelUrl")]
    [InlineData("Speech:Whisper:Threads", "0", "Threads")]
    [InlineData("Speech:WhisperApi:BaseUrl", "localhost:8080", "BaseUrl")]
    [InlineData("Speech:WhisperApi:TranscriptionsPath", "v1/audio/transcriptions", "TranscriptionsPath")]
    [InlineData("Speech:WhisperApi:TimeoutSeconds", "0", "TimeoutSeconds")]
    public void Options_BadSetting_FailValidationNamingIt(string key, string value, string named)
    {
        using var provider = Services(new Dictionary<string, string?> { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() =>
        {
            _ = provider.GetRequiredService<IOptions<WhisperOptions>>().Value;
            _ = provider.GetRequiredService<IOptions<WhisperApiOptions>>().Value;
        });

        Assert.Contains(named, string.Join(" ", error.Failures), StringComparison.Ordinal);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings, bool twice = false)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddWhisperTranscribers();
        if (twice)
        {
            services.AddWhisperTranscribers();
        }

        return services.BuildServiceProvider();
    }
}
