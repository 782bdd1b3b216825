namespace CoachBot.Coaching.Tests.Speech.Whisper;

/// <summary>
/// Where the Whisper tests find their real parts: the repository (the folder holding CoachBot.sln), the shared test
/// data beside it, and the whisper-server that scripts/build-whisper.sh (run by scripts/test.sh only) builds under
/// .cache/whisper as a real peer for the remote engine.
/// </summary>
public static class WhisperTestFiles
{
    public static string Repository => Support.TestData.RepositoryRoot;

    public static string Shared => Support.TestData.Shared;

    /// <summary>The real-format tiny.en model with placeholder weights: loads, runs, hears nothing.</summary>
    public static string TestModel => Existing(Path.Combine(Shared, "testdata", "whisper", "for-tests-ggml-tiny.en.bin"));

    /// <summary>11 s of real speech, 16 kHz mono 16-bit PCM.</summary>
    public static string JfkWav => Existing(Path.Combine(Shared, "testdata", "speech", "jfk.wav"));

    public static string BuildBin => Existing(Path.Combine(Repository, ".cache", "whisper", "build", "bin"));

    private static string Existing(string path) =>
        File.Exists(path) || Directory.Exists(path)
            ? path
            : throw new InvalidOperationException($"'{path}' is missing: run bash scripts/build-whisper.sh (scripts/test.sh does; and check ../shared/testdata).");
}
