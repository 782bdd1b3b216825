using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Delivery;
using CoachBot.Coaching.Speech;
using CoachBot.Coaching.Speech.PocketSphinx;
using CoachBot.Coaching.Knowledge;
using CoachBot.Coaching.Advice.Llm;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Plans;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Groups;
using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Recordings;
using CoachBot.Coaching.Scoring;
using CoachBot.Coaching.Scoring.Types;
using CoachBot.Coaching.Speech.Whisper;
using CoachBot.Coaching.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching;

/// <summary>Registers the coaching core.</summary>
public static class CoachingHostingExtensions
{
    /// <summary>
    /// Adds the question bank, scoring, the rule-based coach, practice sessions and the turn queue's processing. The
    /// stores themselves come from a storage provider (<c>AddSqliteStorage()</c>, <c>AddPostgresStorage()</c> in the
    /// CoachBot.Storage.* assemblies), which this assembly does not reference. Settings are validated at start-up: a bad
    /// setting or question file stops the host with a clear message.
    /// </summary>
    public static IHostApplicationBuilder AddCoaching(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        // One name per host when none is configured, so the queue's leases, the scheduler's lease and /healthz agree.
        services.AddOptions<TurnQueueOptions>().BindConfiguration(TurnQueueOptions.SectionName)
            .PostConfigure(o => o.InstanceId = string.IsNullOrWhiteSpace(o.InstanceId) ? TurnQueueOptions.NewInstanceName() : o.InstanceId.Trim())
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TurnQueueOptions>, TurnQueueOptionsValidator>());
        services.AddOptions<QuestionBankOptions>().BindConfiguration(QuestionBankOptions.SectionName).ValidateOnStart();
        services.AddOptions<AudioOptions>().BindConfiguration(AudioOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RecordingOptions>().BindConfiguration(RecordingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SpeechOptions>().BindConfiguration(SpeechOptions.SectionName);
        services.AddOptions<PocketSphinxOptions>().BindConfiguration(PocketSphinxOptions.SectionName);

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IQuestionBank>(sp =>
        {
            var directories = sp.GetRequiredService<IOptions<QuestionBankOptions>>().Value.ResolveDirectories();
            var bank = QuestionBankLoader.LoadDirectories(directories);
            Log.QuestionBankLoaded(sp.GetRequiredService<ILoggerFactory>().CreateLogger("CoachBot.Coaching.Questions"), bank.All.Count, string.Join(", ", directories));
            return bank;
        });
        services.TryAddSingleton<AnswerSemantics>();
        services.TryAddSingleton<QuestionTypeReader>();
        services.TryAddSingleton<IContentScorer, ContentScorer>();
        services.AddLlmAdvice(); // the LLM chain (Llm:Providers), ending in the rule-based coach
        services.TryAddSingleton<ITurnIntake, TurnIntake>();
        services.AddOptions<GroupOptions>().BindConfiguration(GroupOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<GroupTurns>();
        services.TryAddSingleton<TurnAnswers>();
        services.TryAddSingleton<IRecordingGrants, RecordingGrants>();
        services.TryAddSingleton<ICoachingPipeline, CoachingPipeline>();
        services.TryAddSingleton<Mock.MockInterviews>();
        services.TryAddSingleton<Mock.IMockInterviews>(sp => sp.GetRequiredService<Mock.MockInterviews>());
        services.TryAddSingleton<ITurnProcessor, TurnProcessor>();

        // Interview plans from a résumé and a job description.
        services.AddOptions<PlanOptions>().BindConfiguration(PlanOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<DocumentTextReader>();
        services.TryAddSingleton<PlanQuestionModel>();
        services.TryAddSingleton<InterviewPlanner>();
        services.TryAddSingleton<InterviewPlans>();
        services.TryAddSingleton<IInterviewPlans>(sp => sp.GetRequiredService<InterviewPlans>());
        services.TryAddSingleton<DocumentUploads>();
        services.TryAddSingleton<IDocumentUploads>(sp => sp.GetRequiredService<DocumentUploads>());
        services.TryAddSingleton<PlanChat>();

        // Voice: FFmpeg normalization, the transcriber chain (engines register themselves), delivery analysis.
        services.TryAddSingleton<IAudioNormalizer, FfmpegAudioNormalizer>();
        services.TryAddSingleton<TurnFolders>();
        services.AddHostedService<TurnFolderSweeper>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITranscriber, PocketSphinxTranscriber>());
        services.TryAddSingleton<ITranscriberChain, TranscriberChain>();
        services.TryAddSingleton<IDeliveryAnalyzer, DeliveryAnalyzer>();
        services.TryAddSingleton<IVoiceAnswers, VoiceAnswers>();
        services.AddWhisperTranscribers();
        services.AddHostedService<CoachingStartup>();
        services.AddKnowledge();
        return builder;
    }
}

/// <summary>Loads the question bank and migrates the database when the host starts, so problems stop start-up.</summary>
internal sealed class CoachingStartup(IQuestionBank bank, IStorageStatus storage, ITranscriberChain transcribers, IOptions<AudioOptions> audio, ILogger<CoachingStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _ = bank.All.Count;
        LogTranscribers(transcribers.Readiness());
        foreach (var (setting, program) in new[] { ("Audio:FfmpegPath", audio.Value.FfmpegPath), ("Audio:FfprobePath", audio.Value.FfprobePath) })
        {
            if (ExternalPrograms.Locate(program) is null)
            {
                Log.ProgramMissing(logger, program, setting);
            }
        }

        // The configured provider's database (on PostgreSQL no SQLite file is made).
        var version = await storage.GetSchemaVersionAsync(cancellationToken);
        Log.DatabaseReady(logger, storage.Location, version);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Lists only the engines that can run; says why each other one cannot, and how to enable Whisper when none can.</summary>
    private void LogTranscribers(IReadOnlyList<(string Engine, string? CannotRunBecause)> readiness)
    {
        var runnable = readiness.Where(r => r.CannotRunBecause is null).Select(r => r.Engine).ToList();
        Log.TranscriberOrder(logger, runnable.Count == 0 ? "none (voice answers are refused with a request to type)" : string.Join(" → ", runnable));
        foreach (var (engine, reason) in readiness.Where(r => r.CannotRunBecause is not null))
        {
            Log.TranscriberCannotRun(logger, engine, reason!);
        }

        if (!runnable.Any(e => e.StartsWith("whisper", StringComparison.OrdinalIgnoreCase)))
        {
            Log.NoWhisperEngine(logger, runnable.Count == 0 ? "no engine" : string.Join(" → ", runnable),
                "put a ggml Whisper model at Speech:Whisper:ModelPath (or let it download from Speech:Whisper:ModelUrl on the first voice answer), " +
                "or point Speech:WhisperApi:BaseUrl at a Whisper server (OpenAI-compatible /v1/audio/transcriptions)");
        }
    }
}
