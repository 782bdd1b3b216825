using CoachBot.Coaching.Advice.Llm;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Storage;
using Microsoft.Extensions.Options;

namespace CoachBot.Bot.Hosting;

/// <summary>
/// <c>GET /healthz</c>: this instance's name (the one its queue leases carry), the database (provider, and for PostgreSQL
/// the database and its host, never a password), the question bank, the queue and the advice chain's circuits, in one JSON document.
/// </summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", async (IStorageStatus database, IOptions<TurnQueueOptions> queueOptions, IQuestionBank bank, ITurnQueue queue, IAdviceChainStatus advice, CancellationToken cancellationToken) =>
        {
            var version = await database.GetSchemaVersionAsync(cancellationToken);
            var counts = await queue.CountsAsync(cancellationToken);
            return Results.Ok(new
            {
                status = "ok",
                instance = queueOptions.Value.InstanceId,
                database = new { provider = database.Description.Provider, name = database.Description.Database, host = database.Description.Host, schemaVersion = version },
                questions = bank.All.Count,
                queue = counts,
                // Each LLM provider's circuit (and its failures in a row); the rule-based coach is always last and always available;
                // and the advice budget per turn, after which the rule-based coach answers.
                advice = new
                {
                    providers = advice.Providers,
                    last = "rules",
                    budgetSeconds = new { typed = advice.TypedBudget.TotalSeconds, voice = advice.VoiceBudget.TotalSeconds },
                },
            });
        });
        return endpoints;
    }
}
