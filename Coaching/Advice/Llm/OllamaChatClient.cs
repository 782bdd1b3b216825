using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace CoachBot.Coaching.Advice.Llm;

/// <summary>
/// Ollama's native chat API: <c>POST /api/chat</c>, not streamed, with <c>format</c> set to the requested JSON schema
/// so the model's output is constrained to it.
/// </summary>
internal sealed class OllamaChatClient(HttpClient http, Uri baseUrl, string model, TimeProvider time) : ProviderChatClient("ollama", baseUrl, model)
{
    private readonly Uri _chat = new(LlmHttp.AsBase(baseUrl), "api/chat");

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var body = new JsonObject
        {
            ["model"] = options?.ModelId ?? Model,
            ["stream"] = false,
            ["messages"] = new JsonArray([.. LlmHttp.Texts(messages).Select(m => (JsonNode)new JsonObject { ["role"] = m.Role, ["content"] = m.Text })]),
        };
        if (LlmHttp.Schema(options) is { } schema)
        {
            body["format"] = JsonNode.Parse(schema.GetRawText());
        }

        var settings = new JsonObject();
        if (options?.Temperature is { } temperature)
        {
            settings["temperature"] = temperature;
        }

        if (options?.MaxOutputTokens is { } max)
        {
            settings["num_predict"] = max;
        }

        if (settings.Count > 0)
        {
            body["options"] = settings;
        }

        using var reply = await LlmHttp.PostJsonAsync(http, _chat, body, null, time, cancellationToken).ConfigureAwait(false);
        var root = reply.RootElement;
        if (root.ValueKind != JsonValueKind.Object ||
            !root.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object ||
            !message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String)
        {
            throw new LlmOutputException($"Ollama's reply has no message content: {LlmHttp.Excerpt(root.GetRawText())}");
        }

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, content.GetString()))
        {
            ModelId = root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : Model,
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails
            {
                InputTokenCount = Count(root, "prompt_eval_count"),
                OutputTokenCount = Count(root, "eval_count"),
            },
        };
    }

    private static long? Count(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;
}
