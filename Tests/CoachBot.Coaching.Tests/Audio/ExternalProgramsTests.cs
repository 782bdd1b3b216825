using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Tests.Support;

namespace CoachBot.Coaching.Tests.Audio;

/// <summary>The start-up check that warns when ffmpeg or ffprobe cannot be run (voice answers would fail later).</summary>
public sealed class ExternalProgramsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Locate_InstalledProgramByName_IsFoundOnPath()
    {
        Assert.NotNull(ExternalPrograms.Locate("ffmpeg"));
    }

    [Theory]
    [InlineData("coachbot-no-such-program")]
    [InlineData("/opt/nowhere/ffmpeg")]
    public void Locate_MissingProgram_IsNull(string program)
    {
        Assert.Null(ExternalPrograms.Locate(program));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Locate_FileThatIsNotExecutable_IsNull()
    {
        var path = _folder.File("ffmpeg");
        File.WriteAllText(path, "not a program");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.Null(ExternalPrograms.Locate(path));
    }
}
