using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Speech.Whisper;

/// <summary>
/// Provides the ggml model file: the configured path when it exists, else a download from the configured URL, checked
/// for size and SHA-256, written to a temporary file beside the target and renamed into place only when complete.
/// A failed or mismatching download leaves nothing behind.
/// </summary>
internal sealed class WhisperModelStore(IOptions<WhisperOptions> options, TimeProvider time, ILogger<WhisperModelStore> logger) : IDisposable
{
    private const int BufferSize = 1 << 16;
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AutomaticDecompression = DecompressionMethods.None })
    {
        Timeout = Timeout.InfiniteTimeSpan, // the download's own timeout below covers the whole body, not just the headers
    };

    /// <summary>The model file's full path as configured.</summary>
    public string ModelPath => Path.GetFullPath(options.Value.ModelPath);

    /// <summary>Returns the model's path, downloading it first when it is missing.</summary>
    /// <exception cref="TranscriberUnavailableException">The model is missing and cannot be downloaded (the reason says why).</exception>
    public async Task<string> EnsureAsync(CancellationToken cancellationToken)
    {
        var target = ModelPath;
        if (File.Exists(target))
        {
            return target;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (File.Exists(target))
            {
                return target; // another caller downloaded it while this one waited
            }

            var settings = options.Value;
            if (string.IsNullOrEmpty(settings.ModelUrl))
            {
                throw new TranscriberUnavailableException(
                    $"The whisper model '{target}' does not exist and Speech:Whisper:ModelUrl is empty, so it is not downloaded.");
            }

            await DownloadAsync(new Uri(settings.ModelUrl), target, settings, cancellationToken);
            return target;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task DownloadAsync(Uri url, string target, WhisperOptions settings, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        RemoveAbandonedParts(folder, Path.GetFileName(target), TimeSpan.FromMinutes(settings.DownloadTimeoutMinutes));
        var partial = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.part");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(settings.DownloadTimeoutMinutes), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var started = Stopwatch.GetTimestamp();
        Log.WhisperModelDownloadStarted(logger, url.GetLeftPart(UriPartial.Path), target);
        try
        {
            var (length, hash) = await CopyToFileAsync(url, partial, settings, linked.Token);
            if (settings.ModelSizeBytes > 0 && length != settings.ModelSizeBytes)
            {
                throw new TranscriberUnavailableException(
                    $"The whisper model from {url.Host} has {length:N0} bytes; Speech:Whisper:ModelSizeBytes expects {settings.ModelSizeBytes:N0}. The download was discarded.");
            }

            if (!string.IsNullOrEmpty(settings.ModelSha256) && !string.Equals(hash, settings.ModelSha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new TranscriberUnavailableException(
                    $"The whisper model from {url.Host} has SHA-256 {hash}; Speech:Whisper:ModelSha256 expects {settings.ModelSha256.ToLowerInvariant()}. The download was discarded.");
            }

            // Same folder, so the rename is atomic: readers see no file or the whole file.
            File.Move(partial, target, overwrite: true);
            Log.WhisperModelDownloaded(logger, target, length, hash, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TranscriberUnavailableException(
                $"Downloading the whisper model from {url.Host} took longer than {settings.DownloadTimeoutMinutes} min; it was discarded.");
        }
        catch (HttpRequestException ex)
        {
            throw new TranscriberUnavailableException($"The whisper model could not be downloaded from {url.Host}: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new TranscriberUnavailableException($"The whisper model could not be downloaded from {url.Host}: {ex.Message}", ex);
        }
        finally
        {
            TryDelete(partial);
        }
    }

    private async Task<(long Length, string Sha256)> CopyToFileAsync(Uri url, string partial, WhisperOptions settings, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new TranscriberUnavailableException(
                $"The whisper model could not be downloaded: {url.Host} answered {(int)response.StatusCode} {response.ReasonPhrase} for {url.AbsolutePath}.");
        }

        var announced = response.Content.Headers.ContentLength;
        if (announced is { } size && settings.ModelSizeBytes > 0 && size != settings.ModelSizeBytes)
        {
            throw new TranscriberUnavailableException(
                $"The whisper model from {url.Host} announces {size:N0} bytes; Speech:Whisper:ModelSizeBytes expects {settings.ModelSizeBytes:N0}.");
        }

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long written = 0;
        var lastReport = Stopwatch.GetTimestamp();
        await using (var body = await response.Content.ReadAsStreamAsync(cancellationToken))
        await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous))
        {
            var buffer = new byte[BufferSize];
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                written += read;
                if (Stopwatch.GetElapsedTime(lastReport) >= ProgressEvery)
                {
                    lastReport = Stopwatch.GetTimestamp();
                    Log.WhisperModelDownloadProgress(logger, written, announced ?? -1, announced is > 0 ? written * 100.0 / announced.Value : -1);
                }
            }

            await file.FlushAsync(cancellationToken);
        }

        // HttpClient reports a body shorter than its Content-Length as an error, but a server that announced no length
        // and closed early is only caught here and by the hash.
        if (announced is { } expected && written != expected)
        {
            throw new TranscriberUnavailableException(
                $"The whisper model download from {url.Host} ended after {written:N0} of {expected:N0} bytes; it was discarded.");
        }

        return (written, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    // A process killed mid-download leaves its temporary file; one older than the download timeout is nobody's any more.
    private void RemoveAbandonedParts(string folder, string name, TimeSpan timeout)
    {
        var cutoff = time.GetUtcNow().UtcDateTime - timeout;
        foreach (var part in Directory.EnumerateFiles(folder, $".{name}.*.part"))
        {
            if (File.GetLastWriteTimeUtc(part) < cutoff)
            {
                TryDelete(part);
            }
        }
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException ex)
        {
            Log.WhisperModelCleanupFailed(logger, path, ex.Message);
        }
        catch (UnauthorizedAccessException ex)
        {
            Log.WhisperModelCleanupFailed(logger, path, ex.Message);
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _gate.Dispose();
    }
}
