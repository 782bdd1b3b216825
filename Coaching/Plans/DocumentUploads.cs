using System.Security.Cryptography;
using CoachBot.Coaching.Audio;
using CoachBot.Coaching.Queue;
using Microsoft.Extensions.Options;

namespace CoachBot.Coaching.Plans;

/// <summary>Keeps a document uploaded to the bot's own endpoint (the dev chat) until its turn reads and deletes it.</summary>
public interface IDocumentUploads
{
    /// <summary>The largest document accepted, in bytes (<c>Plans:MaxFileBytes</c>).</summary>
    long MaxBytes { get; }

    /// <summary>Saves the upload in a private folder of its own; refuses one larger than <see cref="MaxBytes"/>.</summary>
    /// <exception cref="DocumentRefusedException">The file is too large.</exception>
    Task<AudioReference> SaveAsync(Stream content, string? fileName, string? contentType, CancellationToken cancellationToken);
}

internal sealed class DocumentUploads(IOptions<AudioOptions> audio, IOptions<PlanOptions> plans) : IDocumentUploads
{
    public long MaxBytes => plans.Value.MaxFileBytes;

    /// <summary>The folder uploads live in, under the turn folders' root.</summary>
    public string Root => Path.Combine(
        string.IsNullOrWhiteSpace(audio.Value.TempDirectory) ? Path.Combine(Path.GetTempPath(), "coachbot-turns") : audio.Value.TempDirectory,
        "documents");

    public async Task<AudioReference> SaveAsync(Stream content, string? fileName, string? contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var folder = Path.Combine(Root, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant());
        Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        // Only the extension of the user's file name is kept: the reader picks the format by it and by the content.
        var extension = Path.GetExtension(fileName ?? string.Empty).ToLowerInvariant();
        var path = Path.Combine(folder, "document" + (extension.Length is > 1 and <= 6 && extension.Skip(1).All(char.IsAsciiLetterOrDigit) ? extension : ".bin"));
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
            {
                var buffer = new byte[81920];
                long total = 0;
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    total += read;
                    if (total > MaxBytes)
                    {
                        throw new DocumentRefusedException(DocumentProblem.TooLarge,
                            $"That file is larger than {MaxBytes / (1024 * 1024)} MB. Send a shorter document, or paste its text.");
                    }

                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            return new AudioReference(path, contentType, fileName, new FileInfo(path).Length);
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>Deletes an uploaded document's folder (the file was read or refused).</summary>
    public void Delete(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && Path.GetDirectoryName(folder) == Path.GetFullPath(Root) && Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
