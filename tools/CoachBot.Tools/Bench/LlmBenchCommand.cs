using System.CommandLine;
using CoachBot.Bot.Cli;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoachBot.Coaching.Advice;
using CoachBot.Coaching.Advice.Llm;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Scoring;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CoachBot.Tools.Bench;

/// <summary>
/// <c>coachbot-tools bench llm</c>: the advice chain's own overhead over a direct call to a loopback Ollama-protocol
/// server, and the failover cost when the first provider's circuit is open. Both servers run in-process on 127.0.0.1.
/// </summary>
internal static class LlmBenchCommand
{
    private const string Answer =
        "Last year at my previous company I was the on-call lead when our checkout service started timing out during a holiday sale. " +
        "My job was to restore checkout within the hour. I pulled the traces and saw that a new recommendation call added 900 ms to every request. " +
        "I switched the call off behind a feature flag and worked with the recommendations team to add a timeout and a cache. " +
        "As a result checkout errors dropped from 12% to under 0.5% within twenty minutes.";

    public static Command Create(CliContext context)
    {
        var iterations = new Option<int>("--iterations") { Description = "Measured rounds.", DefaultValueFactory = _ => 300 };
        var warmup = new Option<int>("--warmup") { Description = "Unmeasured rounds first.", DefaultValueFactory = _ => 50 };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("llm", "Overhead of the LLM advice chain and its failover, against loopback providers.") { iterations, warmup, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var runs = parse.GetValue(iterations);
            var warm = parse.GetValue(warmup);
            if (runs is < 1 or > 100_000 || warm is < 0 or > 100_000)
            {
                throw new UsageException("--iterations must be 1–100000 and --warmup 0–100000.");
            }

            var advice = AdviceReply();
            await using var answering = await StartAsync(context => WriteOllamaReplyAsync(context, advice));
            await using var failing = await StartAsync(context =>
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                return context.Response.WriteAsync("""{"error":"bench: always failing"}""");
            });

            var question = context.Services.GetRequiredService<IQuestionBank>().Filter(Roles.General, Categories.Behavioral)[0];
            var request = new AdviceRequest(question, await context.Services.GetRequiredService<IContentScorer>().ScoreAsync(question, Answer, cancellationToken));
            var result = await LlmChainBenchmark.RunAsync(Address(answering), Address(failing), request, runs, warm, cancellationToken);

            var output = new
            {
                benchmark = "llm advice chain",
                result.Iterations,
                directMedianMs = result.DirectMedianMs,
                directP95Ms = result.DirectP95Ms,
                chainMedianMs = result.ChainMedianMs,
                chainP95Ms = result.ChainP95Ms,
                overheadMedianMs = result.OverheadMedianMs,
                failoverMedianMs = result.FailoverMedianMs,
                failoverP95Ms = result.FailoverP95Ms,
                failoverOverheadMedianMs = result.FailoverOverheadMedianMs,
                processors = Environment.ProcessorCount,
            };
            await context.Output.WriteLineAsync(parse.GetValue(json)
                ? JsonSerializer.Serialize(output, ReportJson.Options)
                : string.Create(CultureInfo.InvariantCulture,
                    $"llm advice chain over {runs} rounds ({output.processors} cores): direct call median {result.DirectMedianMs} ms (p95 {result.DirectP95Ms}); " +
                    $"chain median {result.ChainMedianMs} ms (p95 {result.ChainP95Ms}), overhead {result.OverheadMedianMs} ms; " +
                    $"failover past an open circuit median {result.FailoverMedianMs} ms (p95 {result.FailoverP95Ms}), overhead {result.FailoverOverheadMedianMs} ms"));
            return CoachBotCli.Ok;
        });
        return command;
    }

    private static async Task<WebApplication> StartAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapPost("/api/chat", handler);
        await app.StartAsync();
        return app;
    }

    private static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");

    private static async Task WriteOllamaReplyAsync(HttpContext context, string advice)
    {
        // Read the request as a real server would before answering.
        var request = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject
        {
            ["model"] = request?["model"]?.GetValue<string>(),
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = advice },
            ["done"] = true,
            ["prompt_eval_count"] = 900,
            ["eval_count"] = 250,
        }.ToJsonString(), context.RequestAborted);
    }

    private static string AdviceReply() => new JsonObject
    {
        ["strengths"] = new JsonArray("You quantify the result: errors from 12% to under 0.5%.", "You say what you did yourself."),
        ["improvements"] = new JsonArray(
            new JsonObject { ["title"] = "Say what you learned", ["evidence"] = "", ["suggestion"] = "Close with the lesson and where you applied it since." },
            new JsonObject { ["title"] = "Shorten the set-up", ["evidence"] = "My job was to restore checkout within the hour.", ["suggestion"] = "Keep this, cut the rest of the background." }),
        ["missedPoints"] = new JsonArray(),
        ["improvedExample"] = "During a holiday sale I led the response to checkout timeouts; I switched off a slow call and errors fell from 12% to under 0.5%.",
        ["scores"] = new JsonObject { ["relevance"] = 70, ["structure"] = 80, ["specificity"] = 85, ["ownership"] = 80, ["length"] = 70, ["clarity"] = 90 },
    }.ToJsonString();
}
