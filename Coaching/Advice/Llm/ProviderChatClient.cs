using Microsoft.Extensions.AI;

namespace CoachBot.Coaching.Advice.Llm;

/// <summary>
/// What the advice providers' chat clients share. Advice is used whole, so a stream is the complete response as a
/// single update; the metadata names the provider as reports show it; the HttpClient belongs to the chain that
/// created the client, so disposing the client leaves it alone.
/// </summary>
internal abstract class ProviderChatClient(string provider, Uri endpoint, string model) : IChatClient
{
    /// <summary>The model asked for when the request names none.</summary>
    protected string Model { get; } = model;

    public abstract Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public virtual object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata(provider, endpoint, Model)
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Nothing to release: the HttpClient is the chain's.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
