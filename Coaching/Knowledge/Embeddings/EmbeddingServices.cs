namespace CoachBot.Coaching.Knowledge.Embeddings;

/// <summary>The one <c>GetService</c> answer every embedding generator gives: its metadata, or itself.</summary>
internal static class EmbeddingServices
{
    public static object? Get(object generator, Microsoft.Extensions.AI.EmbeddingGeneratorMetadata metadata, Type serviceType, object? serviceKey)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(metadata) ? metadata
            : serviceKey is null && serviceType.IsInstanceOfType(generator) ? generator
            : null;
    }
}
