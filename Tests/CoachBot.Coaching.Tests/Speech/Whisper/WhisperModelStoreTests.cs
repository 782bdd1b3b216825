using System.Security.Cryptography;
using CoachBot.Coaching.Speech;
using CoachBot.Coaching.Speech.Whisper;
using CoachBot.Coaching.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Tests.Speech.Whisper;

/// <summary>The first-use model download against a real HTTP server on 127.0.0.1 serving a model file.</summary>
public sealed class WhisperModelStoreTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("coachbot-models-");
    private readonly byte[] _model = File.ReadAllBytes(WhisperTestFiles.TestModel);

    private string Target => Path.Combine(_directory.FullName, "models", "ggml-test.bin");

    [Fact]
    public async Task EnsureAsync_DownloadWithMatchingHashAndSize_PlacesTheFileAndLeavesNothingElse()
    {
        await using var server = await LoopbackHttpServer.StartAsync(ServeModel);
        using var store = Store(server, sha256: Sha256(_model), size: _model.Length);

        var path = await store.EnsureAsync(CancellationToken.None);

        Assert.Equal(Target, path);
        Assert.Equal(_model, await File.ReadAllBytesAsync(path));
        Assert.Equal([Target], Directory.GetFiles(Path.GetDirectoryName(Target)!));
    }

    [Fact]
    public async Task EnsureAsync_HostRedirectsToStorage_FollowsAndPlacesTheFile()
    {
        // The model host answers with a redirect to its file storage, as Hugging Face does.
        await using var server = await LoopbackHttpServer.StartAsync(context =>
        {
            if (context.Request.Path.StartsWithSegments("/storage", StringComparison.Ordinal))
            {
                return ServeModel(context);
            }

            context.Response.Redirect("/storage/blob-1234");
            return Task.CompletedTask;
        });
        using var store = Store(server, sha256: Sha256(_model));

        var path = await store.EnsureAsync(CancellationToken.None);

        Assert.Equal(_model, await File.ReadAllBytesAsync(path));
        Assert.Equal(2, server.Requests);
    }

    [Fact]
    public async Task EnsureAsync_PartLeftByAKilledDownload_IsRemovedWhenTheNextOneRuns()
    {
        await using var server = await LoopbackHttpServer.StartAsync(ServeModel);
        var folder = Directory.CreateDirectory(Path.GetDirectoryName(Target)!).FullName;
        var abandoned = Path.Combine(folder, ".ggml-test.bin.0123456789abcdef.part");
        await File.WriteAllBytesAsync(abandoned, [1, 2, 3]);
        File.SetLastWriteTimeUtc(abandoned, DateTime.UtcNow.AddDays(-1));
        using var store = Store(server, sha256: Sha256(_model));

        await store.EnsureAsync(CancellationToken.None);

        Assert.Equal([Target], Directory.GetFiles(folder));
    }

    [Fact]
    public async Task EnsureAsync_ModelAlreadyThere_MakesNoRequest()
    {
        await using var server = await LoopbackHttpServer.StartAsync(ServeModel);
        Directory.CreateDirectory(Path.GetDirectoryName(Target)!);
        await File.WriteAllBytesAsync(Target, _model);
        using var store = Store(server, sha256: Sha256(_model));

        await store.EnsureAsync(CancellationToken.None);

        Assert.Equal(0, server.Requests);
    }

    [Fact]
    public async Task EnsureAsync_HashMismatch_ThrowsUnavailableAndLeavesNothing()
    {
        await using var server = await LoopbackHttpServer.StartAsync(ServeModel);
        var expected = Sha256([1, 2, 3]);
        using var store = Store(server, sha256: expected);

        var error = await Assert.ThrowsAsync<TranscriberUnavailableException>(() => store.EnsureAsync(CancellationToken.None));

        Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        AssertNothingLeft();
    }

    [Fact]
    public async Task EnsureAsync_SizeMismatch_ThrowsUnavailableAndLeavesNothing()
    {
        await using var server = await LoopbackHttpServer.StartAsync(ServeModel);
        using var store = Store(server, sha256: Sha256(_model), size: _model.Length + 1);

        var error = await Assert.ThrowsAsync<TranscriberUnavailableException>(() => store.EnsureAsync(CancellationToken.None));

        Assert.Contains("ModelSizeBytes", error.Message, StringComparison.Ordinal);
        AssertNothingLeft();
    }

    [Fact]
    public async Task EnsureAsync_ConnectionDropsHalfWay_ThrowsUnavailableAndLeavesNothing()
    {
        await using var server = await LoopbackHttpServer.StartAsync(async context =>
        {
            // Announce the whole file, send half, then drop the connection.
            context.Response.ContentLength = _model.Length;
            await context.Response.Body.WriteAsync(_model.AsMemory(0, _model.Length / 2));
            await context.Response.Body.FlushAsync();
            context.Features.Get<IHttpResponseBodyFeature>()!.Stream.Close();
            context.Abort();
        });
        using var store = Store(server, sha256: Sha256(_model));

        var error = await Assert.ThrowsAsync<TranscriberUnavailableException>(() => store.EnsureAsync(CancellationToken.None));

        Assert.Contains("could not be downloaded", error.Message, StringComparison.Ordinal);
        AssertNothingLeft();
    }

    [Fact]
    public async Task EnsureAsync_ChunkedBodyEndsEarly_HashCatchesItAndLeavesNothing()
    {
        // A chunked answer (no Content-Length) that ends early looks complete to HTTP; the hash catches it.
        await using var server = await LoopbackHttpServer.StartAsync(async context =>
        {
            await context.Response.Body.WriteAsync(_model.AsMemory(0, _model.Length / 2));
        });
        using var store = Store(server, sha256: Sha256(_model));

        var error = await Assert.ThrowsAsync<TranscriberUnavailableException>(() => store.EnsureAsync(CancellationToken.None));

        Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
        AssertNothingLeft();
    }

    [Fact]
    public async Task EnsureAsync_NotFound_ThrowsUnavailableWith404AndLeavesNothing()
    {
        await using var server = await LoopbackHttpServer.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        using var store = Store(server, sha256: Sha256(_model));

        var error = await Assert.ThrowsAsync<TranscriberUnavailableException>(() => store.EnsureAsync(CancellationToken.None));

        Assert.Contains("404", error.Message, StringComparison.Ordinal);
        AssertNothingLeft();
    }

    [Fact]
    public async Task EnsureAsync_AfterAFailedDownload_TriesAgainAndSucceeds()
    {
        var attempts = 0;
        await using var server = await LoopbackHttpServer.StartAsync(async context =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            await ServeModel(context);
        });
        using var store = Store(server, sha256: Sha256(_model));
        await Assert.ThrowsAsync<TranscriberUnavailableException>(() => store.EnsureAsync(CancellationToken.None));

        var path = await store.EnsureAsync(CancellationToken.None);

        Assert.Equal(_model, await File.ReadAllBytesAsync(path));
    }

    private async Task ServeModel(HttpContext context)
    {
        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = _model.Length;
        await context.Response.Body.WriteAsync(_model);
    }

    private WhisperModelStore Store(LoopbackHttpServer server, string sha256, long size = 0) =>
        new(Options.Create(new WhisperOptions
        {
            ModelPath = Target,
            ModelUrl = new Uri(server.BaseAddress, "/ggerganov/whisper.cpp/resolve/main/ggml-test.bin").ToString(),
            ModelSha256 = sha256,
            ModelSizeBytes = size,
        }), TimeProvider.System, NullLogger<WhisperModelStore>.Instance);

    private void AssertNothingLeft()
    {
        var folder = Path.GetDirectoryName(Target)!;
        Assert.Empty(Directory.Exists(folder) ? Directory.GetFileSystemEntries(folder) : []);
    }

    private static string Sha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public void Dispose() => _directory.Delete(recursive: true);
}
