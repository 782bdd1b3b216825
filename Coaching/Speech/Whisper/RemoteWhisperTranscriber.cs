using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Reports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace CoachBot.Coaching.Speech.Whisper;

/// <summary>
/// The <c>whisper-api</c> engine: a Whisper server over the OpenAI-compatible <c>POST /v1/audio/transcriptions</c>
/// (multipart: the WAV file, model, <c>response_format=verbose_json</c>, word and segment timestamps, language).
/// Words come from the response's <c>words[]</c>; servers that put them in <c>segments[].words</c> (whisper.cpp's
/// whisper-server) are read there; when a server gives only segments, each segment's words are spread evenly over its
/// span with lower confidence. Any failure (not configured, unreachable, timeout, non-2xx, a body that is not the
/// expected JSON) is a <see cref="TranscriberUnavailableException"/> whose message says what went wrong.
/// </summary>
internal sealed class RemoteWhisperTranscriber : ITranscriber, IDisposable
{
    /// <summary>The engine's name in reports.</summary>
    public const string EngineName = "whisper-api";

    /// <summary>Confidence given to words when the server reports none for them or their segment.</summary>
    internal const double UnreportedConfidence = 0.9;

    /// <summary>Words spread over a segment's span are placed only roughly: their confidence is scaled by this.</summary>
    internal const double SpreadConfidenceFactor = 0.5;

    private readonly WhisperApiOptions _settings;
    private readonly ILogger<RemoteWhisperTranscriber> _logger;
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false })
    {
        Timeout = Timeout.InfiniteTimeSpan, // the pipeline's timeout covers every attempt and the body
    };

    private readonly ResiliencePipeline<ApiReply> _pipeline;

    public RemoteWhisperTranscriber(IOptions<WhisperApiOptions> options, TimeProvider time, ILogger<RemoteWhisperTranscriber> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _settings = options.Value;
        _logger = logger;
        var builder = new ResiliencePipelineBuilder<ApiReply> { TimeProvider = time }
            .AddTimeout(TimeSpan.FromSeconds(_settings.TimeoutSeconds));
        if (_settings.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<ApiReply>
            {
                MaxRetryAttempts = _settings.MaxRetries,
                Delay = TimeSpan.FromSeconds(_settings.RetryDelaySeconds),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                ShouldHandle = new PredicateBuilder<ApiReply>()
                    .Handle<HttpRequestException>()
                    .HandleResult(static reply => reply.Status == HttpStatusCode.TooManyRequests || (int)reply.Status >= 500),
                OnRetry = args =>
                {
                    var reason = args.Outcome.Exception?.Message ?? $"HTTP {(int)args.Outcome.Result!.Status}";
                    Log.WhisperApiRetry(_logger, EngineName, args.AttemptNumber + 1, reason);
                    return default;
                },
            });
        }

        _pipeline = builder.Build();
    }

    public string Name => EngineName;

    public string? CannotRunBecause => string.IsNullOrWhiteSpace(_settings.BaseUrl)
        ? "no server is configured (set Speech:WhisperApi:BaseUrl)"
        : null;

    public async Task<Transcript> TranscribeAsync(NormalizedAudio audio, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audio);
        var endpoint = Endpoint();
        var started = Stopwatch.GetTimestamp();
        ApiReply reply;
        try
        {
            reply = await _pipeline.ExecuteAsync(
                static async (state, ct) => await state.Self.SendAsync(state.Endpoint, state.Audio, ct),
                (Self: this, Endpoint: endpoint, Audio: audio),
                cancellationToken);
        }
        catch (TimeoutRejectedException ex)
        {
            throw Unavailable($"{endpoint.Host} did not answer within {_settings.TimeoutSeconds:0.#} s.", ex);
        }
        catch (HttpRequestException ex)
        {
            throw Unavailable($"{endpoint.Host} could not be reached: {ex.Message}", ex);
        }

        if (reply.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw Unavailable($"{endpoint.Host} refused the credentials ({(int)reply.Status}); check Speech:WhisperApi:ApiKey. {Excerpt(reply.Body)}");
        }

        if ((int)reply.Status is < 200 or > 299)
        {
            throw Unavailable($"{endpoint.Host} answered {(int)reply.Status} {reply.Status}. {Excerpt(reply.Body)}");
        }

        Transcript transcript;
        try
        {
            transcript = Parse(reply.Body, audio.DurationSeconds);
        }
        catch (JsonException ex)
        {
            throw Unavailable($"{endpoint.Host} answered with a body that is not JSON ({ex.Message}). {Excerpt(reply.Body)}", ex);
        }
        catch (InvalidDataException ex)
        {
            throw Unavailable($"{endpoint.Host} answered with JSON that is not a transcription: {ex.Message}", ex);
        }

        Log.WhisperTranscribed(_logger, EngineName, audio.DurationSeconds, Stopwatch.GetElapsedTime(started).TotalSeconds, transcript.Words.Count);
        Log.TranscriptText(_logger, EngineName, transcript.Text);
        return transcript;
    }

    private Uri Endpoint()
    {
        if (string.IsNullOrWhiteSpace(_settings.BaseUrl))
        {
            throw new TranscriberUnavailableException($"{EngineName}: no server is configured (set Speech:WhisperApi:BaseUrl).");
        }

        var root = _settings.BaseUrl.TrimEnd('/');
        return string.IsNullOrEmpty(_settings.AzureDeployment)
            ? new Uri(root + _settings.TranscriptionsPath)
            : new Uri(string.Create(CultureInfo.InvariantCulture,
                $"{root}/openai/deployments/{Uri.EscapeDataString(_settings.AzureDeployment)}/audio/transcriptions?api-version={Uri.EscapeDataString(_settings.AzureApiVersion)}"));
    }

    private async ValueTask<ApiReply> SendAsync(Uri endpoint, NormalizedAudio audio, CancellationToken cancellationToken)
    {
        // A fresh request (and file stream) for every attempt: content cannot be sent twice.
        await using var file = new FileStream(audio.WavPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        using var content = new MultipartFormDataContent();
        var fileContent = new StreamContent(file);
        fileContent.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        content.Add(fileContent, "file", "answer.wav");
        content.Add(new StringContent(_settings.Model), "model");
        content.Add(new StringContent("verbose_json"), "response_format");
        content.Add(new StringContent("word"), "timestamp_granularities[]");
        content.Add(new StringContent("segment"), "timestamp_granularities[]");
        content.Add(new StringContent(_settings.Language), "language");
        content.Add(new StringContent("0"), "temperature");

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (!string.IsNullOrEmpty(_settings.ApiKey))
        {
            if (string.IsNullOrEmpty(_settings.AzureDeployment))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _settings.ApiKey);
            }
            else
            {
                request.Headers.Add("api-key", _settings.ApiKey);
            }
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return new ApiReply(response.StatusCode, body);
    }

    /// <summary>Reads a verbose_json transcription. Times are seconds; the engine reports no word confidence in OpenAI's form.</summary>
    /// <exception cref="JsonException">The body is not JSON.</exception>
    /// <exception cref="InvalidDataException">The JSON lacks the fields a transcription has.</exception>
    internal static Transcript Parse(string body, double audioSeconds)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"the body is a JSON {root.ValueKind}, not an object.");
        }

        if (!root.TryGetProperty("text", out var textElement) || textElement.ValueKind != JsonValueKind.String)
        {
            throw new InvalidDataException("it has no 'text'.");
        }

        var text = textElement.GetString()!.Trim();
        var segments = ReadSegments(root);
        var words = new List<TimedWord>();
        if (root.TryGetProperty("words", out var wordsElement) && wordsElement.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var word in wordsElement.EnumerateArray())
            {
                var value = RequiredString(word, "word", $"words[{index}]").Trim();
                var start = RequiredNumber(word, "start", $"words[{index}]");
                var end = Math.Max(start, RequiredNumber(word, "end", $"words[{index}]"));
                var confidence = OptionalNumber(word, "probability")
                    ?? segments.FirstOrDefault(s => start >= s.Start && start < s.End)?.Confidence
                    ?? UnreportedConfidence;
                if (value.Any(char.IsLetterOrDigit))
                {
                    words.Add(new TimedWord(value, Math.Round(start, 3), Math.Round(end, 3), Math.Round(Math.Clamp(confidence, 0, 1), 4)));
                }

                index++;
            }
        }
        else if (segments.Any(s => s.Tokens is not null))
        {
            // whisper-server: token pieces (with their leading spaces) under each segment.
            var assembler = new WhisperWordAssembler();
            foreach (var segment in segments)
            {
                foreach (var (piece, start, end, probability) in segment.Tokens ?? [])
                {
                    var from = Math.Clamp(start ?? segment.Start, segment.Start, segment.End);
                    assembler.Add(piece, from, Math.Clamp(end ?? segment.End, from, segment.End), probability ?? segment.Confidence ?? UnreportedConfidence);
                }

                assembler.Flush();
            }

            words.AddRange(assembler.Complete());
        }
        else if (segments.Count > 0)
        {
            foreach (var segment in segments)
            {
                Spread(segment.Text, segment.Start, segment.End, (segment.Confidence ?? UnreportedConfidence) * SpreadConfidenceFactor, words);
            }
        }
        else
        {
            Spread(text, 0, Math.Max(0, OptionalNumber(root, "duration") ?? audioSeconds), UnreportedConfidence * SpreadConfidenceFactor, words);
        }

        return new Transcript(text, words, EngineName);
    }

    private static List<Segment> ReadSegments(JsonElement root)
    {
        var segments = new List<Segment>();
        if (!root.TryGetProperty("segments", out var element) || element.ValueKind != JsonValueKind.Array)
        {
            return segments;
        }

        var index = 0;
        foreach (var segment in element.EnumerateArray())
        {
            var where = $"segments[{index++}]";
            var start = RequiredNumber(segment, "start", where);
            var end = Math.Max(start, RequiredNumber(segment, "end", where));
            var text = RequiredString(segment, "text", where);
            var logProbability = OptionalNumber(segment, "avg_logprob");
            List<(string, double?, double?, double?)>? tokens = null;
            if (segment.TryGetProperty("words", out var words) && words.ValueKind == JsonValueKind.Array)
            {
                tokens = [];
                var w = 0;
                foreach (var word in words.EnumerateArray())
                {
                    tokens.Add((RequiredString(word, "word", $"{where}.words[{w++}]"), OptionalNumber(word, "start"), OptionalNumber(word, "end"), OptionalNumber(word, "probability")));
                }
            }

            segments.Add(new Segment(start, end, text, logProbability is { } lp ? Math.Exp(Math.Min(0, lp)) : null, tokens));
        }

        return segments;
    }

    private static void Spread(string text, double start, double end, double confidence, List<TimedWord> words)
    {
        var pieces = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Where(p => p.Any(char.IsLetterOrDigit)).ToArray();
        if (pieces.Length == 0)
        {
            return;
        }

        // Each word gets a share of the span in proportion to its length: long words take longer to say.
        var total = pieces.Sum(p => p.Length + 1.0);
        var at = start;
        foreach (var piece in pieces)
        {
            var length = (end - start) * (piece.Length + 1.0) / total;
            words.Add(new TimedWord(piece, Math.Round(at, 3), Math.Round(at + length, 3), Math.Round(confidence, 4)));
            at += length;
        }
    }

    private static string RequiredString(JsonElement element, string name, string where) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidDataException($"{where} has no '{name}'.");

    private static double RequiredNumber(JsonElement element, string name, string where) =>
        OptionalNumber(element, name) ?? throw new InvalidDataException($"{where} has no numeric '{name}'.");

    private static double? OptionalNumber(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetDouble()
            : null;

    private static string Excerpt(string body)
    {
        var trimmed = body.Trim();
        return trimmed.Length == 0 ? "(empty body)" : trimmed.Length <= 200 ? trimmed : trimmed[..200] + "…";
    }

    private static TranscriberUnavailableException Unavailable(string reason, Exception? inner = null)
    {
        // The transcriber chain logs why an engine could not be used (once per distinct reason); not logged here too.
        var message = $"{EngineName}: {reason}";
        return inner is null ? new TranscriberUnavailableException(message) : new TranscriberUnavailableException(message, inner);
    }

    public void Dispose() => _http.Dispose();

    private sealed record ApiReply(HttpStatusCode Status, string Body);

    private sealed record Segment(double Start, double End, string Text, double? Confidence, List<(string Piece, double? Start, double? End, double? Probability)>? Tokens);
}
