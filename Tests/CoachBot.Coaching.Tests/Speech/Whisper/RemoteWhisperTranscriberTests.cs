using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Speech;
using CoachBot.Coaching.Speech.Whisper;
using CoachBot.Coaching.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Tests.Speech.Whisper;

/// <summary>The remote engine against a scripted OpenAI-compatible server on 127.0.0.1: the request it sends, the answers it reads, the faults it reports.</summary>
public sealed class RemoteWhisperTranscriberTests
{
    private const string OpenAiVerboseJson = """
        {
          "task": "transcribe", "language": "english", "duration": 2.4,
          "text": "I led the migration.",
          "segments": [ { "id": 0, "start": 0.0, "end": 2.4, "text": " I led the migration.", "avg_logprob": -0.2 } ],
          "words": [
            { "word": "I", "start": 0.0, "end": 0.2 },
            { "word": "led", "start": 0.2, "end": 0.6 },
            { "word": "the", "start": 0.6, "end": 0.8 },
            { "word": "migration", "start": 0.8, "end": 1.9 }
          ]
        }
        """;

    private static readonly NormalizedAudio Audio = NormalizedAudio.ReadWav(WhisperTestFiles.JfkWav);

    [Fact]
    public async Task TranscribeAsync_OpenAiForm_SendsMultipartWithWordTimestampsAndBearerKey()
    {
        Captured? seen = null;
        await using var server = await LoopbackHttpServer.StartAsync(async context =>
        {
            var form = await context.Request.ReadFormAsync();
            await using var file = form.Files["file"]!.OpenReadStream();
            using var copy = new MemoryStream();
            await file.CopyToAsync(copy);
            seen = new Captured(context.Request.Method, context.Request.Path, context.Request.Headers.Authorization.ToString(),
                form["model"].ToString(), form["response_format"].ToString(), [.. form["timestamp_granularities[]"]!], form["language"].ToString(), copy.ToArray());
            await Json(context, OpenAiVerboseJson);
        });
        using var transcriber = Transcriber(new WhisperApiOptions { BaseUrl = server.BaseAddress.ToString(), ApiKey = "sk-test", Model = "whisper-1" });

        await transcriber.TranscribeAsync(Audio, CancellationToken.None);

        Assert.NotNull(seen);
        Assert.Equal("POST", seen.Method);
        Assert.Equal("/v1/audio/transcriptions", seen.Path);
        Assert.Equal("Bearer sk-test", seen.Authorization);
        Assert.Equal("whisper-1", seen.Model);
        Assert.Equal("verbose_json", seen.ResponseFormat);
        Assert.Contains("word", seen.Granularities);
        Assert.Equal("en", seen.Language);
        Assert.Equal(await File.ReadAllBytesAsync(WhisperTestFiles.JfkWav), seen.File);
    }

    [Fact]
    public async Task TranscribeAsync_WordsInResponse_BecomeTimedWordsWithTheirSegmentsConfidence()
    {
        await using var server = await LoopbackHttpServer.StartAsync(context => Json(context, OpenAiVerboseJson));
        using var transcriber = Transcriber(new WhisperApiOptions { BaseUrl = server.BaseAddress.ToString() });

        var transcript = await transcriber.TranscribeAsync(Audio, CancellationToken.None);

        Assert.Equal("whisper-api", transcript.Engine);
        Assert.Equal("I led the migration.", transcript.Text);
        Assert.Equal(["I", "led", "the", "migration"], transcript.Words.Select(w => w.Word));
        Assert.Equal(0.8, transcript.Words[3].Start);
        Assert.Equal(1.9, transcript.Words[3].End);
        Assert.Equal(Math.Round(Math.Exp(-0.2), 4), transcript.Words[0].Confidence); // from the segment's avg_logprob
    }

    [Fact]
    public async Task TranscribeAsync_OnlySegments_SpreadsWordsOverEachSegmentWithLowerConfidence()
    {
        await using var server = await LoopbackHttpServer.StartAsync(context => Json(context, """
            { "text": "Hello there. Next part", "segments": [
                { "start": 1.0, "end": 2.0, "text": " Hello there." },
                { "start": 3.0, "end": 5.0, "text": " Next part", "avg_logprob": 0 } ] }
            """));
        using var transcriber = Transcriber(new WhisperApiOptions { BaseUrl = server.BaseAddress.ToString() });

        var words = (await transcriber.TranscribeAsync(Audio, CancellationToken.None)).Words;

        Assert.Equal(["Hello", "there.", "Next", "part"], words.Select(w => w.Word));
        Assert.Equal(1.0, words[0].Start);
        Assert.Equal(2.0, words[1].End, 3);
        Assert.Equal(3.0, words[2].Start);
        Assert.Equal(5.0, words[3].End, 3);
        Assert.All(words, w => Assert.True(w.Confidence <= RemoteWhisperTranscriber.SpreadConfidenceFactor));
    }

    [Fact]
    public async Task TranscribeAsync_WhisperServerTokenWords_JoinsPiecesIntoWords()
    {
        await using var server = await LoopbackHttpServer.StartAsync(context => Json(context, """
            { "text": " Ask not", "segments": [ { "id": 0, "start": 0.0, "end": 1.0, "text": " Ask not",
                "words": [ { "word": " As", "start": 0.0, "end": 0.2, "probability": 0.8 }, { "word": "k", "start": 0.2, "end": 0.4, "probability": 0.6 },
                           { "word": " not", "start": 0.5, "end": 0.9, "probability": 0.9 } ] } ] }
            """));
        using var transcriber = Transcriber(new WhisperApiOptions { BaseUrl = server.BaseAddress.ToString() });

        var words = (await transcriber.TranscribeAsync(Audio, CancellationToken.None)).Words;

        Assert.Equal(["Ask", "not"], words.Select(w => w.Word));
        Assert.Equal(0.4, words[0].End);
        Assert.Equal(0.7, words[0].Confidence, 3);
    }

    [Fact]
    public async Task TranscribeAsync_AzureDeployment_UsesDeploymentPathApiVersionAndApiKeyHeader()
    {
        string? path = null, query = null, apiKey = null, authorization = null;
        await using var server = await LoopbackHttpServer.StartAsync(context =>
        {
            (path, query) = (context.Request.Path, context.Request.QueryString.Value);
            (apiKey, authorization) = (context.Request.Headers["api-key"], context.Request.Headers.Authorization);
            return Json(context, OpenAiVerboseJson);
        });
        using var transcriber = Transcriber(new WhisperApiOptions
        {
            BaseUrl = server.BaseAddress.ToString(), ApiKey = "azure-key", AzureDeployment = "whisper", AzureApiVersion = "2024-06-01",
        });

        await transcriber.TranscribeAsync(Audio, CancellationToken.None);

        Assert.Equal("/openai/deployments/whisper/audio/transcriptions", path);
        Assert.Equal("?api-version=2024-06-01", query);
        Assert.Equal("azure-key", apiKey);
        Assert.True(string.IsNullOrEmpty(authorization));
    }

    [Fact]
    public async Task TranscribeAsync_NoBaseUrl_ThrowsUnavailableSayingWhatToSet()
    {
        using var transcriber = Transcriber(new WhisperApiOptions());

        var error = await Assert.ThrowsAsync<TranscriberUnavailableException>(() => transcriber.TranscribeAsync(Audio, CancellationToken.None));

        Assert.Contains("Speech:WhisperApi:BaseUrl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TranscribeAsync_ServerError500_ThrowsUnavailableWithStatusAndBody()
    {
        await using var server = await LoopbackHttpServer.StartAsync(context => Status(context, 500, "{\"error\":\"model crashed\"}"));
        using var transcriber = Transcriber(new WhisperApiOptions { BaseUrl = server.BaseAddress.ToString(), MaxRetries = 0 });

        var error = await Assert.ThrowsAsync<TranscriberUnavailableException>(() => transcriber.TranscribeAsync(Audio, CancellationToken.None));

        Assert.Contains("500", error.Message, StringComparison.Ordinal);
        Assert.Contains("model crashed", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task TranscribeAsync_ServiceUnavailableOnce_RetriesAndSucceeds()
    {
        var calls = 0;
        await using var server = await LoopbackHttpServer.StartAsync(context =>
            Interlocked.Increment(ref calls) == 1 ? Status(context, 503, "busy") : Json(context, OpenAiVerboseJson));
        using var transcriber = Transcriber(new WhisperApiOptions { BaseUrl = server.BaseAddress.ToString(), MaxRetries = 1, RetryDelaySeconds = 0 });

        var transcript = await transcriber.TranscribeAsync(Audio, CancellationToken.None);

        Assert.Equal(4, transcript.Words.Count);
        Assert.Equal(2, server.Requests);
    }

    [Fact]
    public async Task TranscribeAsync_BadApiKey_ThrowsUnavailableNamingTheSetting()
    {
        await using var server = await LoopbackHttpServer.StartAsync(context => Status(context, 401, "{\"error\":{\"message\":\"Incorrect API key\"}}"));
        using var transcriber = Transcriber(new WhisperApiOptions { BaseUrl = server.BaseAddress.ToString(), ApiKey = "wrong" });

        var error = await Assert.ThrowsAsync<TranscriberUnavailableException>(() => transcriber.TranscribeAsync(Audio, CancellationToken.None));

        Assert.Contains("Speech:WhisperApi:ApiKey", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.Requests); // credentials are not retried
    }

    [Fact]
    public async Task TranscribeAsync_ServerSlowerThanTimeout_ThrowsUnavailableSayingItDidNotAnswer()
    {
        await using var server = await LoopbackHttpServer.StartAsync(async context =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
            await Json(context, OpenAiVerboseJson);
        });
        using var transcriber = Transcriber(new WhisperApiOptions { BaseUrl = server.BaseAddress.ToString(), TimeoutSeconds = 1, MaxRetries = 0 });

        var error = await Assert.ThrowsAsync<TranscriberUnavailableException>(() => transcriber.TranscribeAsync(Audio, CancellationToken.None));

        Assert.Contains("did not answer within 1 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TranscribeAsync_MalformedJson_ThrowsUnavailableSayingItIsNotJson()
    {
        await using var server = await LoopbackHttpServer.StartAsync(context => Json(context, "{\"text\": \"unterminated"));
        using var transcriber = Transcriber(new WhisperApiOptions { BaseUrl = server.BaseAddress.ToString() });

        var error = await Assert.ThrowsAsync<TranscriberUnavailableException>(() => transcriber.TranscribeAsync(Audio, CancellationToken.None));

        Assert.Contains("not JSON", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"segments\": []}", "no 'text'")]
    [InlineData("{\"text\": \"hi\", \"words\": [{\"word\": \"hi\", \"end\": 0.4}]}", "words[0] has no numeric 'start'")]
    [InlineData("{\"text\": \"hi\", \"segments\": [{\"start\": 0, \"end\": 1}]}", "segments[0] has no 'text'")]
    [InlineData("[1, 2]", "not an object")]
    public async Task TranscribeAsync_MissingFields_ThrowsUnavailableNamingTheField(string body, string reason)
    {
        await using var server = await LoopbackHttpServer.StartAsync(context => Json(context, body));
        using var transcriber = Transcriber(new WhisperApiOptions { BaseUrl = server.BaseAddress.ToString() });

        var error = await Assert.ThrowsAsync<TranscriberUnavailableException>(() => transcriber.TranscribeAsync(Audio, CancellationToken.None));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TranscribeAsync_ServerGone_ThrowsUnavailableSayingItCouldNotBeReached()
    {
        Uri address;
        await using (var server = await LoopbackHttpServer.StartAsync(context => Json(context, OpenAiVerboseJson)))
        {
            address = server.BaseAddress;
        }

        using var transcriber = Transcriber(new WhisperApiOptions { BaseUrl = address.ToString(), MaxRetries = 0 });

        var error = await Assert.ThrowsAsync<TranscriberUnavailableException>(() => transcriber.TranscribeAsync(Audio, CancellationToken.None));

        Assert.Contains("could not be reached", error.Message, StringComparison.Ordinal);
    }

    private static RemoteWhisperTranscriber Transcriber(WhisperApiOptions options) =>
        new(Options.Create(options), TimeProvider.System, NullLogger<RemoteWhisperTranscriber>.Instance);

    private static Task Json(HttpContext context, string body)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body);
    }

    private static Task Status(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsync(body);
    }

    private sealed record Captured(string Method, string Path, string Authorization, string Model, string ResponseFormat, string[] Granularities, string Language, byte[] File);
}
