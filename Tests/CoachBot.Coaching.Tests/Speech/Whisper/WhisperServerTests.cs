using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Speech.Whisper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Tests.Speech.Whisper;

/// <summary>
/// The remote engine against a real whisper.cpp <c>whisper-server</c> (built by scripts/build-whisper.sh from the same
/// 1.9.1 source), started on 127.0.0.1 with the test model and <c>--inference-path /v1/audio/transcriptions</c>.
/// </summary>
public sealed class WhisperServerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TranscribeAsync_RealWhisperServerWithTestModel_ReturnsWellFormedTranscript()
    {
        await using var server = await WhisperServer.StartAsync(output);
        using var transcriber = new RemoteWhisperTranscriber(
            Options.Create(new WhisperApiOptions { BaseUrl = server.BaseAddress.ToString(), TimeoutSeconds = 300, MaxRetries = 0 }),
            TimeProvider.System, NullLogger<RemoteWhisperTranscriber>.Instance);
        var audio = NormalizedAudio.ReadWav(WhisperTestFiles.JfkWav);

        var transcript = await transcriber.TranscribeAsync(audio, CancellationToken.None);

        Assert.Equal("whisper-api", transcript.Engine);
        WhisperCppTranscriberTests.AssertWellFormed(transcript, audio.DurationSeconds);
        // The server decoded exactly the samples we sent (it logs "processing 'answer.wav' (176000 samples, 11.0 sec)").
        Assert.Contains($"'answer.wav' ({audio.Samples.Length} samples", server.Log(), StringComparison.Ordinal);
    }

    private sealed class WhisperServer : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly System.Text.StringBuilder _log = new();

        private WhisperServer(Process process, Uri address)
        {
            _process = process;
            BaseAddress = address;
        }

        public Uri BaseAddress { get; }

        public string Log()
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }

        public static async Task<WhisperServer> StartAsync(ITestOutputHelper output)
        {
            var port = FreePort();
            var start = new ProcessStartInfo(Path.Combine(WhisperTestFiles.BuildBin, "whisper-server"))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in new[]
            {
                "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-m", WhisperTestFiles.TestModel, "--inference-path", "/v1/audio/transcriptions", "-t", "2",
            })
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start)!;
            var server = new WhisperServer(process, new Uri($"http://127.0.0.1:{port}/"));
            process.OutputDataReceived += (_, e) => server.Append(e.Data);
            process.ErrorDataReceived += (_, e) => server.Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"whisper-server exited with {process.ExitCode}: {server.Log()}");
                }

                try
                {
                    using var response = await http.GetAsync(server.BaseAddress);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        output.WriteLine($"whisper-server ready on {server.BaseAddress} after {deadline.Elapsed.TotalSeconds:F1} s");
                        return server;
                    }
                }
                catch (HttpRequestException)
                {
                    // not listening yet
                }
                catch (TaskCanceledException)
                {
                    // not answering yet
                }

                await Task.Delay(200);
            }

            await server.DisposeAsync();
            throw new InvalidOperationException($"whisper-server did not start listening within 60 s: {server.Log()}");
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_log)
            {
                _log.AppendLine(line);
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }
    }
}
