using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Speech;
using CoachBot.Coaching.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Tests.Speech;

public sealed class TranscriberChainTests
{
    private static readonly NormalizedAudio Silence = new("unused.wav", NormalizedAudio.TargetSampleRate, new float[16_000]);

    [Fact]
    public async Task TranscribeAsync_SameEngineUnavailableForTheSameReasonTwice_LogsTheReasonOnce()
    {
        var logs = new LogCollector();
        var chain = Chain(logs, new Unavailable("whisper.cpp", "the model download failed: no route to host"), new Hears("pocketsphinx", "hello"));

        await chain.TranscribeAsync(Silence, CancellationToken.None);
        await chain.TranscribeAsync(Silence, CancellationToken.None);

        var warnings = logs.Lines.Where(l => l.Level >= LogLevel.Warning && l.Message.Contains("no route to host", StringComparison.Ordinal)).ToList();
        Assert.Single(warnings);
    }

    [Fact]
    public async Task TranscribeAsync_ReasonChanges_LogsTheNewReason()
    {
        var logs = new LogCollector();
        var engine = new Unavailable("whisper.cpp", "first reason");
        var chain = Chain(logs, engine, new Hears("pocketsphinx", "hello"));

        await chain.TranscribeAsync(Silence, CancellationToken.None);
        engine.Reason = "second reason";
        await chain.TranscribeAsync(Silence, CancellationToken.None);

        Assert.Contains(logs.Lines, l => l.Level >= LogLevel.Warning && l.Message.Contains("first reason", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Level >= LogLevel.Warning && l.Message.Contains("second reason", StringComparison.Ordinal));
    }

    [Fact]
    public void Readiness_EngineThatCannotRun_SaysWhyAndTheOthersAreReady()
    {
        var chain = Chain(new LogCollector(), new Unavailable("whisper.cpp", "no model") { CannotRun = "no model at /x" }, new Hears("pocketsphinx", "hello"));

        var readiness = chain.Readiness();

        Assert.Equal([("whisper.cpp", "no model at /x"), ("pocketsphinx", (string?)null)], readiness);
    }

    private static TranscriberChain Chain(LogCollector logs, params ITranscriber[] engines)
    {
        var options = new SpeechOptions();
        foreach (var engine in engines)
        {
            options.Engines.Add(engine.Name);
        }

        return new TranscriberChain(engines, Options.Create(options), new Logger<TranscriberChain>(logs));
    }

    private sealed class Unavailable(string name, string reason) : ITranscriber
    {
        public string Reason { get; set; } = reason;

        public string? CannotRun { get; init; }

        public string Name => name;

        public string? CannotRunBecause => CannotRun;

        public Task<Transcript> TranscribeAsync(NormalizedAudio audio, CancellationToken cancellationToken) =>
            throw new TranscriberUnavailableException(Reason);
    }

    private sealed class Hears(string name, string text) : ITranscriber
    {
        public string Name => name;

        public Task<Transcript> TranscribeAsync(NormalizedAudio audio, CancellationToken cancellationToken) =>
            Task.FromResult(new Transcript(text, [new(text, 0, 0.5, 0.9)], name));
    }
}
