using System.Text.Json;
using CoachBot.Coaching.Reports;
using CoachBot.Coaching.Scoring;

namespace CoachBot.Coaching.Advice.Llm;

/// <summary>Advice as a model wrote it, before <see cref="AdviceGuard"/> checks it against what was measured.</summary>
internal sealed record ModelAdvice(
    IReadOnlyList<string> Strengths,
    IReadOnlyList<Improvement> Improvements,
    IReadOnlyList<string> MissedPoints,
    string ImprovedExample,
    IReadOnlyDictionary<string, int> Scores);

/// <summary>The JSON schema the model must answer in, and the strict reader of its replies.</summary>
internal static class AdviceSchema
{
    public const string Name = "coaching_advice";

    private static readonly string[] ScoreNames =
        [Dimensions.Relevance, Dimensions.Structure, Dimensions.Specificity, Dimensions.Ownership, Dimensions.Length, Dimensions.Clarity];

    /// <summary>
    /// Every property required, no others allowed and no numeric constraints (the reader checks the 0–100 range), so
    /// the same schema stays inside the subset OpenAI's strict structured output accepts and works for Ollama's
    /// <c>format</c> and, as text in the prompt, for Anthropic.
    /// </summary>
    public static readonly string Json = $$"""
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["strengths", "improvements", "missedPoints", "improvedExample", "scores"],
          "properties": {
            "strengths": { "type": "array", "items": { "type": "string" }, "description": "2-3 things the answer does well, most important first" },
            "improvements": {
              "type": "array",
              "description": "2-3 improvements, most important first",
              "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["title", "evidence", "suggestion"],
                "properties": {
                  "title": { "type": "string", "description": "a short title" },
                  "evidence": { "type": "string", "description": "an exact quote from the answer showing the problem, or empty" },
                  "suggestion": { "type": "string", "description": "what to do instead, concretely" }
                }
              }
            },
            "missedPoints": { "type": "array", "items": { "type": "string" }, "description": "rubric points the answer did not cover" },
            "improvedExample": { "type": "string", "description": "a short improved version of the answer (at most 120 words), using only facts the answer gives" },
            "scores": {
              "type": "object",
              "additionalProperties": false,
              "required": [{{string.Join(", ", ScoreNames.Select(n => $"\"{n}\""))}}],
              "properties": { {{string.Join(", ", ScoreNames.Select(n => $"\"{n}\": {{ \"type\": \"integer\", \"description\": \"0 to 100\" }}"))}} }
            }
          }
        }
        """;

    public static readonly JsonElement Element = JsonDocument.Parse(Json).RootElement.Clone();

    /// <summary>Reads a model's reply; anything that is not the schema's shape throws <see cref="LlmOutputException"/> saying what is wrong.</summary>
    public static ModelAdvice Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new LlmOutputException("The reply is empty.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(StripFence(text));
        }
        catch (JsonException ex)
        {
            throw new LlmOutputException($"The reply is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new LlmOutputException("The reply is not a JSON object.");
            }

            var strengths = Strings(root, "strengths");
            var improvements = new List<Improvement>();
            foreach (var item in Array(root, "improvements").EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    throw new LlmOutputException("An item of \"improvements\" is not an object.");
                }

                improvements.Add(new Improvement(String(item, "title", "improvements[].title"), String(item, "evidence", "improvements[].evidence"),
                    String(item, "suggestion", "improvements[].suggestion")));
            }

            var missed = Strings(root, "missedPoints");
            var example = String(root, "improvedExample", "improvedExample");
            if (!root.TryGetProperty("scores", out var scores) || scores.ValueKind != JsonValueKind.Object)
            {
                throw new LlmOutputException("The required object \"scores\" is missing.");
            }

            var values = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var name in ScoreNames)
            {
                if (!scores.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) ||
                    number is < 0 or > 100)
                {
                    throw new LlmOutputException($"\"scores.{name}\" is missing or not a number from 0 to 100.");
                }

                values[name] = (int)Math.Round(number);
            }

            if (strengths.Count == 0 && improvements.Count == 0)
            {
                throw new LlmOutputException("The reply has neither strengths nor improvements.");
            }

            return new ModelAdvice(strengths, improvements, missed, example, values);
        }
    }

    // Some models wrap JSON in a Markdown code fence even when asked not to.
    private static string StripFence(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith("```", StringComparison.Ordinal))
        {
            return trimmed;
        }

        var firstLine = trimmed.IndexOf('\n', StringComparison.Ordinal);
        var last = trimmed.LastIndexOf("```", StringComparison.Ordinal);
        return firstLine > 0 && last > firstLine ? trimmed[(firstLine + 1)..last] : trimmed;
    }

    private static JsonElement Array(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value
            : throw new LlmOutputException($"The required array \"{name}\" is missing.");

    private static List<string> Strings(JsonElement root, string name) =>
        [.. Array(root, name).EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String
            ? e.GetString()!
            : throw new LlmOutputException($"An item of \"{name}\" is not a string."))];

    private static string String(JsonElement item, string name, string path) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new LlmOutputException($"The required string \"{path}\" is missing.");
}
