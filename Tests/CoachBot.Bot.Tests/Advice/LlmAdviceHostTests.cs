using System.Text.Json;
using System.Text.Json.Nodes;
using CoachBot.Bot.Cli;
using CoachBot.Bot.Tests.Support;
using CoachBot.Coaching.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CoachBot.Bot.Tests.Advice;

/// <summary>The advice chain as the host and the command line configure it.</summary>
public sealed class LlmAdviceHostTests : IDisposable
{
    private const string Answer = CliRun.Answer;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Healthz_ProvidersConfigured_ShowsEachCircuit()
    {
        await using var factory = new CoachBotFactory(_folder.File("bot.db"))
            .WithSetting("Llm:Providers:0:Kind", "Ollama")
            .WithSetting("Llm:Providers:0:Model", "llama3.1:8b")
            .WithSetting("Llm:Providers:0:BaseUrl", "http://127.0.0.1:9");
        using var client = factory.CreateClient();

        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri("/healthz", UriKind.Relative)));

        var advice = json.RootElement.GetProperty("advice");
        var provider = Assert.Single(advice.GetProperty("providers").EnumerateArray());
        Assert.Equal("ollama", provider.GetProperty("source").GetString());
        Assert.Equal("llama3.1:8b", provider.GetProperty("model").GetString());
        Assert.Equal("closed", provider.GetProperty("circuit").GetString());
        Assert.Equal("rules", advice.GetProperty("last").GetString());
    }

    [Fact]
    public async Task Host_UnknownProviderKind_DoesNotStart()
    {
        var (code, output) = await HostProcess.RunUntilItStopsAsync(_folder.Path, new Dictionary<string, string>
        {
            ["Storage:DatabasePath"] = _folder.File("bad.db"),
            ["Llm:Providers:0:Kind"] = "Olama",
            ["Llm:Providers:0:Model"] = "llama3.1:8b",
        });

        Assert.NotEqual(0, code);
        Assert.Contains("Llm:Providers:0:Kind 'Olama' is not a known provider", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Practice_OllamaConfigured_ReportSaysOllamaWroteTheAdvice()
    {
        await using var ollama = await StartOllamaAsync();
        var (code, stdout, _) = await Run([
            ("Llm:Providers:0:Kind", "Ollama"), ("Llm:Providers:0:Model", "llama3.1:8b"), ("Llm:Providers:0:BaseUrl", ollama.BaseAddress.ToString())],
            "practice", "--question", "swe-001", "--text", Answer, "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("ollama", json.RootElement.GetProperty("advice").GetProperty("source").GetString());
        Assert.Equal("llama3.1:8b", json.RootElement.GetProperty("advice").GetProperty("model").GetString());
        Assert.Equal("Lead with the result.", json.RootElement.GetProperty("improvements")[0].GetProperty("title").GetString());
        Assert.StartsWith("I cut our CI", json.RootElement.GetProperty("improvedExample").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, ollama.Requests);
    }

    [Fact]
    public async Task BuiltProgram_ProviderFromEnvironmentVariables_WritesTheAdvice()
    {
        await using var ollama = await StartOllamaAsync();
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _folder.Path };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "coachbot.dll"), "practice", "--question", "swe-001", "--text", Answer, "--json" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["Storage__DatabasePath"] = _folder.File("env.db");
        start.Environment["Llm__Providers__0__Kind"] = "Ollama";
        start.Environment["Llm__Providers__0__BaseUrl"] = ollama.BaseAddress.ToString();
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, await stderr);
        using var json = JsonDocument.Parse(await stdout);
        Assert.Equal("ollama", json.RootElement.GetProperty("advice").GetProperty("source").GetString());
        Assert.Equal("llama3.1:8b", json.RootElement.GetProperty("advice").GetProperty("model").GetString());
        Assert.Equal(1, ollama.Requests);
    }

    [Fact]
    public async Task Practice_ProviderDown_FallsBackToTheRules()
    {
        var (code, stdout, _) = await Run([
            ("Llm:Providers:0:Kind", "Ollama"), ("Llm:Providers:0:Model", "llama3.1:8b"), ("Llm:Providers:0:BaseUrl", "http://127.0.0.1:9"),
            ("Llm:MaxRetries", "0")],
            "practice", "--question", "swe-001", "--text", "Um, " + Answer, "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("rules", json.RootElement.GetProperty("advice").GetProperty("source").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("advice").GetProperty("model").ValueKind);
        // The rule-based coach writes its own improved example from the answer's sentences (here without the "Um"; an answer
        // it would give back word for word gets none).
        Assert.Equal(JsonValueKind.String, json.RootElement.GetProperty("improvedExample").ValueKind);
    }

    [Fact]
    public async Task Practice_BadProviderUrl_IsRefusedWithTheSettingNamed()
    {
        var (code, _, stderr) = await Run([("Llm:Providers:0:Kind", "Ollama"), ("Llm:Providers:0:Model", "m"), ("Llm:Providers:0:BaseUrl", "localhost:11434")],
            "practice", "--question", "swe-001", "--text", Answer);

        Assert.Equal(CoachBotCli.Refused, code);
        Assert.Contains("Llm:Providers:0:BaseUrl 'localhost:11434' is not an absolute http(s) URL", stderr, StringComparison.Ordinal);
    }

    private async Task<(int Code, string Stdout, string Stderr)> Run((string Key, string Value)[] settings, params string[] args) =>
        await CliRun.RunAsync(_folder.File("cli.db"), settings, args);

    /// <summary>An Ollama <c>/api/chat</c> server on 127.0.0.1 that always gives the same advice.</summary>
    private static Task<LoopbackHttpServer> StartOllamaAsync() =>
        LoopbackHttpServer.StartAsync(app =>
        {
            app.MapPost("/api/chat", async (HttpContext context) =>
            {
                var request = await JsonNode.ParseAsync(context.Request.Body);
                var advice = new JsonObject
                {
                    ["strengths"] = new JsonArray("You give a clear before-and-after number."),
                    ["improvements"] = new JsonArray(new JsonObject { ["title"] = "Lead with the result.", ["evidence"] = "", ["suggestion"] = "Open with the 40 to 12 minutes." }),
                    ["missedPoints"] = new JsonArray(),
                    ["improvedExample"] = "I cut our CI from 40 to 12 minutes by profiling and splitting the suite.",
                    ["scores"] = new JsonObject { ["relevance"] = 100, ["structure"] = 100, ["specificity"] = 100, ["ownership"] = 100, ["length"] = 100, ["clarity"] = 100 },
                };
                return Results.Json(new JsonObject
                {
                    ["model"] = request?["model"]?.GetValue<string>(),
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = advice.ToJsonString() },
                    ["done"] = true,
                });
            });
        });
}
