using System.Numerics.Tensors;
using CoachBot.Coaching.Knowledge;
using CoachBot.Coaching.Knowledge.Embeddings;
using CoachBot.Coaching.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoachBot.Coaching.Tests.Knowledge;

public sealed class SifEmbeddingGeneratorTests
{
    [Fact]
    public void Embed_Paraphrase_IsCloserThanAnUnrelatedSentence()
    {
        var sif = KnowledgeFixture.Sif();

        var anchor = sif.Embed("I get nervous and speak too quickly in interviews");
        var paraphrase = sif.Embed("anxiety makes me talk fast when I am being interviewed");
        var unrelated = sif.Embed("the quarterly revenue report lists regional sales figures");

        Assert.True(TensorPrimitives.Dot(anchor, paraphrase) > TensorPrimitives.Dot(anchor, unrelated) + 0.1f);
    }

    [Fact]
    public void Embed_AnyText_IsUnitLengthWithTheCommonComponentRemoved()
    {
        var sif = KnowledgeFixture.Sif();

        var vector = sif.Embed("Close your answer with the result and one sentence on what you learned.");

        Assert.Equal(100, vector.Length);
        Assert.Equal(1f, TensorPrimitives.Norm(vector), 3);
        Assert.Equal(0f, TensorPrimitives.Dot(vector, KnowledgeFixture.Model.Component), 3);
    }

    [Fact]
    public void Embed_NoKnownWords_IsTheZeroVector()
    {
        var vector = KnowledgeFixture.Sif().Embed("the of and !!! 🙂");

        Assert.All(vector, v => Assert.Equal(0f, v));
    }

    [Fact]
    public async Task GenerateAsync_Metadata_NamesTheModelAndItsContent()
    {
        using var sif = KnowledgeFixture.Sif();

        var embeddings = await sif.GenerateAsync(["pauses", "salary"]);
        var metadata = sif.GetService<EmbeddingGeneratorMetadata>();

        Assert.Equal(2, embeddings.Count);
        Assert.StartsWith("builtin:wink-sg-100d-sif@", metadata!.DefaultModelId, StringComparison.Ordinal);
        Assert.Equal(100, metadata.DefaultModelDimensions);
    }

    [Fact]
    public void Load_DamagedFile_SaysHowToRebuildIt()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [.. File.ReadAllBytes(KnowledgeFixture.BuiltInModelPath).Take(5000)]);

            var error = Assert.Throws<InvalidDataException>(() => WordVectorModel.Load(path));
            var embeddings = new KnowledgeEmbeddings(
                Microsoft.Extensions.Options.Options.Create(new KnowledgeOptions { Embeddings = { ModelPath = path } }),
                NullLogger<KnowledgeEmbeddings>.Instance, []);

            Assert.Contains("prepare-embeddings.sh", error.Message, StringComparison.Ordinal);
            Assert.Null(embeddings.Generator);
            Assert.Contains("truncated", embeddings.UnavailableReason, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
