using CoachBot.Coaching.Advice;
using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Delivery;
using CoachBot.Coaching.Speech;
using CoachBot.Coaching.Speech.PocketSphinx;
using CoachBot.Storage;
using CoachBot.Storage.Sqlite;
using Microsoft.Extensions.Options;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Groups;
using CoachBot.Coaching.Knowledge;
using CoachBot.Coaching.Knowledge.Embeddings;
using CoachBot.Coaching.Mock;
using CoachBot.Coaching.Plans;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Recordings;
using CoachBot.Coaching.Scoring;
using CoachBot.Coaching.Sessions;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoachBot.Coaching.Tests.Support;

/// <summary>
/// The real coaching core over a temporary SQLite file and the built-in bank; with <c>storage</c>, the stores that have
/// moved to the storage seam (sessions, group rounds, interview plans, mock interviews) live there instead (on PostgreSQL, as a host would keep them).
/// </summary>
public sealed class Coach : IDisposable
{
    private readonly TempDatabase _db = new();
    private readonly List<IDisposable> _disposables = [];

    public Coach(IQuestionBank? bank = null, TimeProvider? time = null, TestStorage? storage = null)
    {
        time ??= TimeProvider.System;
        Bank = bank ?? Support.Bank.BuiltIn;
        Sessions = storage?.Sessions(Bank, TimeProvider.System) ?? new SqlitePracticeSessions(_db.Database, Bank, TimeProvider.System);
        // Plans and mock interviews take the database itself: the storage's when given, else the SQLite file.
        var database = storage?.Database() ?? _db.Database;
        StoreDatabase = database;
        Voice = CreateVoice(_disposables);
        Pipeline = new CoachingPipeline(Bank, Scorers.Default, new RuleBasedCoach(), Sessions, Voice, NullLogger<CoachingPipeline>.Instance);
        Recordings = new SqliteRecordingStore(_db.Database, Options.Create(new AudioOptions()), TimeProvider.System);
        Groups = storage?.GroupRounds(Bank, TimeProvider.System) ?? new SqliteGroupRounds(_db.Database, Bank, TimeProvider.System);
        TurnFolders = new TurnFolders(Options.Create(new AudioOptions { TempDirectory = Path.Combine(Path.GetDirectoryName(_db.Database.Path)!, "turns") }));
        var answers = new TurnAnswers(Pipeline, [], Recordings, TurnFolders, Sessions);
        // Plans match bank questions by hashed words here (no embedding model): the coaching tests need no model.
        var planOptions = Options.Create(new PlanOptions());
        var plans = new InterviewPlans(
            new DocumentTextReader(planOptions),
            new InterviewPlanner(Bank, new KnowledgeEmbeddings(Options.Create(new KnowledgeOptions { Embeddings = { Provider = "none" } }), NullLogger<KnowledgeEmbeddings>.Instance, []), planOptions, time),
            new SqlPlanStore(database), NullLogger<InterviewPlans>.Instance);
        Plans = plans;
        Mocks = new MockInterviews(answers, Sessions, Plans, Bank, new SqlMockInterviewStore(database), time, NullLogger<MockInterviews>.Instance);
        Uploads = new DocumentUploads(Options.Create(new AudioOptions { TempDirectory = TurnFolders.Root }), planOptions);
        var planChat = new PlanChat(plans, [], TurnFolders, Uploads, new SqlPlanStore(database), time);
        Processor = new TurnProcessor(answers, Sessions, Bank, new GroupTurns(Groups, answers, Bank, Options.Create(new GroupOptions()), TimeProvider.System), Mocks, planChat);
    }

    public IQuestionBank Bank { get; }

    public IInterviewPlans Plans { get; }

    internal MockInterviews Mocks { get; }

    internal DocumentUploads Uploads { get; }

    internal CoachBot.Storage.Sqlite.SqliteDatabase Database => _db.Database;

    /// <summary>Where plans and mock interviews are kept: the test storage's database when given, else the SQLite file.</summary>
    internal CoachBot.Storage.ISqlDatabase StoreDatabase { get; }

    internal TurnFolders TurnFolders { get; }

    public IRecordingStore Recordings { get; }

    public IGroupRounds Groups { get; }

    public IPracticeSessions Sessions { get; }

    public ICoachingPipeline Pipeline { get; }

    public ITurnProcessor Processor { get; }

    public IVoiceAnswers Voice { get; }

    /// <summary>The real voice path: FFmpeg normalization, PocketSphinx, delivery analysis.</summary>
    internal static IVoiceAnswers CreateVoice(List<IDisposable> disposables)
    {
        var pocketSphinx = new PocketSphinxTranscriber(Options.Create(new PocketSphinxOptions()), NullLogger<PocketSphinxTranscriber>.Instance);
        disposables.Add(pocketSphinx);
        return new VoiceAnswers(
            new FfmpegAudioNormalizer(Options.Create(new AudioOptions()), NullLogger<FfmpegAudioNormalizer>.Instance),
            new TranscriberChain([pocketSphinx], Options.Create(new SpeechOptions()), NullLogger<TranscriberChain>.Instance),
            new DeliveryAnalyzer());
    }

    public void Dispose()
    {
        foreach (var d in _disposables)
        {
            d.Dispose();
        }

        _db.Dispose();
    }
}
