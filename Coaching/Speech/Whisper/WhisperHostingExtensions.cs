using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CoachBot.Coaching.Speech.Whisper;

/// <summary>Registers the Whisper engines as <see cref="ITranscriber"/>s.</summary>
public static class WhisperHostingExtensions
{
    /// <summary>
    /// Adds <c>whisper.cpp</c> (in-process; settings in <c>Speech:Whisper</c>) and <c>whisper-api</c> (remote; settings in
    /// <c>Speech:WhisperApi</c>). Both are always registered; one that cannot run here says so when asked to transcribe.
    /// </summary>
    public static IServiceCollection AddWhisperTranscribers(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<WhisperOptions>().BindConfiguration(WhisperOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<WhisperApiOptions>().BindConfiguration(WhisperApiOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WhisperModelStore>();
        services.TryAddSingleton<WhisperCppTranscriber>();
        services.TryAddSingleton<RemoteWhisperTranscriber>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITranscriber, WhisperCppTranscriber>(static sp => sp.GetRequiredService<WhisperCppTranscriber>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITranscriber, RemoteWhisperTranscriber>(static sp => sp.GetRequiredService<RemoteWhisperTranscriber>()));
        return services;
    }
}
