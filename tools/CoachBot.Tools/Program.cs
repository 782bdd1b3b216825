using System.Text.Json;
using CoachBot.Tools.Bench;
using CoachBot.Tools.Evaluation;

// coachbot-tools: the evaluation runner and the benchmark verbs, kept out of the product.
// Usage: coachbot-tools eval scoring [--set eval|eval-a|eval-c|eval-d|eval-e|eval-f|tuning|tuning-2|tuning-3|concern-dev|<file.jsonl>] [--json] [--dump <file.jsonl>] [--pointers]
//        coachbot-tools eval types [--set typed|<file.jsonl>]
//        coachbot-tools bench (text|voice|whisper|llm|knowledge|ack) [options]   (--help lists each verb's options)
if (args.Length > 0 && args[0] == "bench")
{
    return await BenchCli.RunAsync(args);
}

if (args.Length >= 2 && args[0] == "eval" && args[1] == "types")
{
    var typedSet = Array.IndexOf(args, "--set") is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : "typed";
    try
    {
        Console.Out.Write(await TypeEvaluation.RunAsync(TypeEvaluation.Load(typedSet), typedSet, CancellationToken.None));
        return 0;
    }
    catch (Exception ex) when (ex is FileNotFoundException or JsonException or InvalidDataException)
    {
        await Console.Error.WriteLineAsync(ex.Message);
        return 1;
    }
}

if (args.Length < 2 || args[0] != "eval" || args[1] != "scoring")
{
    await Console.Error.WriteLineAsync("usage: coachbot-tools eval scoring [--set eval|eval-a|eval-c|eval-d|eval-e|eval-f|tuning|tuning-2|tuning-3|concern-dev|<file.jsonl>] [--json] [--dump <file.jsonl>] [--pointers]");
    await Console.Error.WriteLineAsync("       coachbot-tools eval types [--set typed|<file.jsonl>]");
    await Console.Error.WriteLineAsync("       coachbot-tools bench (text|voice|whisper|llm|knowledge|ack) [options]   (coachbot-tools bench --help)");
    return 2;
}

string Option(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

var set = Option("--set", "eval");
IReadOnlyList<LabelledAnswer> answers;
try
{
    answers = EvaluationSet.Load(set);
}
catch (Exception ex) when (ex is FileNotFoundException or JsonException or InvalidDataException)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 1;
}

var (figures, judged) = await ScoringEvaluation.RunAsync(answers, args.Contains("--pointers"), CancellationToken.None);
if (Option("--dump", string.Empty) is { Length: > 0 } dump)
{
    await File.WriteAllTextAsync(Path.GetFullPath(dump), ScoringEvaluation.Dump(judged));
}

Console.Out.Write(args.Contains("--json")
    ? JsonSerializer.Serialize(figures, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }) + "\n"
    : ScoringEvaluation.Format(figures, set));
return 0;
