using System.ComponentModel.DataAnnotations;
using CoachBot.Coaching.Knowledge.Embeddings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CoachBot.Coaching.Knowledge;

/// <summary>Registers the knowledge store (called by <c>AddCoaching</c>).</summary>
public static class KnowledgeServiceExtensions
{
    /// <summary>
    /// Adds <see cref="IKnowledgeStore"/> over the coaching database, its embedding model (from <c>Knowledge:Embeddings</c>,
    /// or an <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c> already registered), and the start-up ingestion of the built-in knowledge.
    /// </summary>
    public static IServiceCollection AddKnowledge(this IServiceCollection services)
    {
        services.AddOptions<KnowledgeOptions>().BindConfiguration(KnowledgeOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => Validator.TryValidateObject(o.Embeddings, new ValidationContext(o.Embeddings), null, validateAllProperties: true),
                "Knowledge:Embeddings is not valid: Provider must be builtin, ollama, openai or none, and TimeoutSeconds 1–600.")
            .Validate(o => o.ChunkMinTokens <= o.ChunkMaxTokens && o.ChunkOverlapTokens < o.ChunkMaxTokens,
                "Knowledge:ChunkMinTokens must not exceed ChunkMaxTokens, and ChunkOverlapTokens must be below it.")
            .ValidateOnStart();
        services.TryAddSingleton<KnowledgeEmbeddings>();
        services.TryAddSingleton<BuiltInKnowledge>();
        // IKnowledgeStore itself comes from the storage provider (its full-text index and ranking are the database's).
        services.TryAddSingleton<AdviceKnowledge>();
        return services;
    }
}
