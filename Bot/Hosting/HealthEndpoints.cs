using CoachBot.Coaching.Advice.Llm;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Queue;
using CoachBot.Coaching.Storage;

namespace CoachBot.Bot.Hosting;

/// <summary><c>GET /healthz</c>: the database, the question bank, the queue and the advice chain's circuits, in one JSON document.</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", async (SqliteDatabase database, IQuestionBank bank, ITurnQueue queue, IAdviceChainStatus advice, CancellationToken cancellationToken) =>
        {
            var version = await database.GetSchemaVersionAsync(cancellationToken);
            var counts = await queue.CountsAsync(cancellationToken);
            return Results.Ok(new
            {
                status = "ok",
                database = new { schemaVersion = version },
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
