using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace CoachBot.Coaching.Advice.Llm;

/// <summary>
/// Anthropic's Messages API: <c>POST /v1/messages</c> with <c>x-api-key</c> and <c>anthropic-version</c>.
/// System messages go in the top-level <c>system</c> field; the JSON schema travels in the prompt.
/// </summary>
internal sealed class AnthropicChatClient(HttpClient http, Uri baseUrl, string model, string apiKey, TimeProvider time) : ProviderChatClient("anthropic", baseUrl, model)
{
    /// <summary>The API version this client speaks.</summary>
    public const string ApiVersion = "2023-06-01";

    private const int DefaultMaxTokens = 2048;
    private readonly Uri _messages = new(LlmHttp.AsBase(baseUrl), "v1/messages");

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var system = new StringBuilder();
        var turns = new JsonArray();
        foreach (var (role, text) in LlmHttp.Texts(messages))
        {
            if (role == "system")
            {
                system.AppendLine(text);
            }
            else
            {
                turns.Add(new JsonObject { ["role"] = role, ["content"] = text });
            }
        }

        var body = new JsonObject
        {
            ["model"] = options?.ModelId ?? Model,
            ["max_tokens"] = options?.MaxOutputTokens ?? DefaultMaxTokens,
            ["messages"] = turns,
        };
        if (system.Length > 0)
        {
            body["system"] = system.ToString().TrimEnd();
        }

        if (options?.Temperature is { } temperature)
        {
            body["temperature"] = temperature;
        }

        using var reply = await LlmHttp.PostJsonAsync(http, _messages, body, headers =>
        {
            headers.Add("x-api-key", apiKey);
            headers.Add("anthropic-version", ApiVersion);
        }, time, cancellationToken).ConfigureAwait(false);

        var root = reply.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
        {
            throw new LlmOutputException($"Anthropic's reply has no content: {LlmHttp.Excerpt(root.GetRawText())}");
        }

        var answer = new StringBuilder();
        foreach (var block in content.EnumerateArray())
        {
            if (block.TryGetProperty("type", out var type) && type.GetString() == "text" &&
                block.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
            {
                answer.Append(text.GetString());
            }
        }

        var usage = root.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object ? u : default;
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, answer.ToString()))
        {
            ModelId = root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : Model,
            FinishReason = root.TryGetProperty("stop_reason", out var stop) && stop.GetString() == "max_tokens" ? ChatFinishReason.Length : ChatFinishReason.Stop,
            Usage = new UsageDetails
            {
                InputTokenCount = Count(usage, "input_tokens"),
                OutputTokenCount = Count(usage, "output_tokens"),
            },
        };
    }

    private static long? Count(JsonElement usage, string name) =>
        usage.ValueKind == JsonValueKind.Object && usage.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;
}
