namespace CoachBot.Coaching.Tests.Speech.Whisper;

/// <summary>
/// Where the Whisper tests find their real parts: the repository (the folder holding CoachBot.sln), the shared test
/// data beside it, and what scripts/build-whisper.sh fetched and built under .cache/whisper.
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

    public static string Source => Existing(Path.Combine(Repository, ".cache", "whisper", "src", "package", "cpp", "whisper.cpp"));

    private static string Existing(string path) =>
        File.Exists(path) || Directory.Exists(path)
            ? path
            : throw new InvalidOperationException($"'{path}' is missing: run bash scripts/build-whisper.sh (and check ../shared/testdata).");
}
