namespace CoachBot.Coaching.Tests.Support;

/// <summary>A private temporary folder, deleted afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("coachbot-files-");

    public string Path => _directory.FullName;

    public string File(string name) => System.IO.Path.Combine(_directory.FullName, name);

    public void Dispose() => _directory.Delete(recursive: true);
}
