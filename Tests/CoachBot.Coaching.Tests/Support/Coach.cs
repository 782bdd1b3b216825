using CoachBot.Coaching.Advice;
using CoachBot.Coaching.Pipeline;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Scoring;
using CoachBot.Coaching.Sessions;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoachBot.Coaching.Tests.Support;

/// <summary>The real coaching core over a temporary SQLite file and the built-in bank.</summary>
public sealed class Coach : IDisposable
{
    private readonly TempDatabase _db = new();

    public Coach(IQuestionBank? bank = null)
    {
        Bank = bank ?? Support.Bank.BuiltIn;
        Sessions = new SqlitePracticeSessions(_db.Database, Bank, TimeProvider.System);
        Pipeline = new CoachingPipeline(Bank, new ContentScorer(), new RuleBasedCoach(), Sessions, NullLogger<CoachingPipeline>.Instance);
        Processor = new TurnProcessor(Pipeline, Sessions, Bank);
    }

    public IQuestionBank Bank { get; }

    public IPracticeSessions Sessions { get; }

    public ICoachingPipeline Pipeline { get; }

    public ITurnProcessor Processor { get; }

    public void Dispose() => _db.Dispose();
}
