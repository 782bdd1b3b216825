using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.Extensions.Options;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;
using UglyToad.PdfPig.Exceptions;

namespace CoachBot.Coaching.Plans;

/// <summary>
/// Reads the text of a résumé or a job description: PDF (PdfPig), Word <c>.docx</c> (Open XML SDK) or plain text.
/// Refuses, with a reason the user can act on, files over the size limit, encrypted PDFs, files without text
/// (scans, images), macro-enabled Word documents and damaged files. The text is returned, never logged.
/// </summary>
public sealed class DocumentTextReader(IOptions<PlanOptions> options)
{
    private static readonly HashSet<string> TextExtensions = new(StringComparer.OrdinalIgnoreCase) { ".txt", ".text", ".md", ".markdown" };

    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".heic", ".webp",
    };

    private static readonly HashSet<string> MacroExtensions = new(StringComparer.OrdinalIgnoreCase) { ".docm", ".dotm", ".xlsm", ".pptm" };

    private const string Accepted = "Send a PDF with selectable text, a Word .docx file or plain text.";

    /// <summary>Reads a file; <paramref name="path"/> must exist.</summary>
    public string ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        var limit = options.Value.MaxFileBytes;
        if (info.Length > limit)
        {
            throw new DocumentRefusedException(DocumentProblem.TooLarge,
                $"The file is {Megabytes(info.Length)}; the limit is {Megabytes(limit)}. Send a shorter document, or paste the text.");
        }

        return Read(File.ReadAllBytes(path), info.Name);
    }

    /// <summary>Reads a document held in memory; the file name gives its type.</summary>
    public string Read(byte[] content, string fileName)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(fileName);
        if (content.LongLength > options.Value.MaxFileBytes)
        {
            throw new DocumentRefusedException(DocumentProblem.TooLarge,
                $"The file is {Megabytes(content.LongLength)}; the limit is {Megabytes(options.Value.MaxFileBytes)}. Send a shorter document, or paste the text.");
        }

        var extension = Path.GetExtension(fileName);
        if (MacroExtensions.Contains(extension))
        {
            throw new DocumentRefusedException(DocumentProblem.Macros,
                "The document is macro-enabled, and such files are not opened. Save it as a plain Word document (.docx) or a PDF and send that.");
        }

        if (ImageExtensions.Contains(extension))
        {
            throw new DocumentRefusedException(DocumentProblem.NoText,
                $"That is an image, and I only read text, not pictures of it. {Accepted}");
        }

        if (extension.Equals(".doc", StringComparison.OrdinalIgnoreCase) || extension.Equals(".rtf", StringComparison.OrdinalIgnoreCase))
        {
            throw new DocumentRefusedException(DocumentProblem.Unsupported,
                $"The {extension} format is not read. Save the document as .docx or PDF and send that.");
        }

        var text = Sniff(content, extension) switch
        {
            Kind.Pdf => ReadPdf(content),
            Kind.Docx => ReadDocx(content),
            Kind.Text => ReadText(content),
            _ => throw new DocumentRefusedException(DocumentProblem.Unsupported, $"I can't tell what kind of file this is. {Accepted}"),
        };

        text = Normalize(text);
        if (text.Count(char.IsLetter) < 40)
        {
            throw new DocumentRefusedException(DocumentProblem.NoText,
                $"I found almost no text in the file; a scanned or photographed page holds only an image of the words. {Accepted}");
        }

        return text.Length > options.Value.MaxTextCharacters ? text[..options.Value.MaxTextCharacters] : text;
    }

    private enum Kind
    {
        Unknown,
        Pdf,
        Docx,
        Text,
    }

    private static Kind Sniff(byte[] content, string extension)
    {
        var isPdf = content.AsSpan().IndexOf("%PDF-"u8) is >= 0 and < 1024;
        var isZip = content.AsSpan().StartsWith("PK\u0003\u0004"u8);
        switch (extension.ToLowerInvariant())
        {
            case ".pdf":
                return isPdf ? Kind.Pdf : throw new DocumentRefusedException(DocumentProblem.Broken,
                    $"The file is named .pdf but is not a PDF (it may be damaged or renamed). {Accepted}");
            case ".docx" or ".dotx":
                return isZip ? Kind.Docx : throw new DocumentRefusedException(DocumentProblem.Broken,
                    $"The file is named .docx but is not a Word document (it may be damaged or renamed). {Accepted}");
            default:
                if (isPdf)
                {
                    return Kind.Pdf;
                }

                if (isZip)
                {
                    return Kind.Docx;
                }

                return TextExtensions.Contains(extension) || extension.Length == 0 || LooksLikeText(content) ? Kind.Text : Kind.Unknown;
        }
    }

    private string ReadPdf(byte[] content)
    {
        try
        {
            using var document = PdfDocument.Open(content, new ParsingOptions { UseLenientParsing = true, SkipMissingFonts = true });
            if (document.IsEncrypted)
            {
                throw Encrypted(null);
            }

            var text = new StringBuilder();
            var pages = Math.Min(document.NumberOfPages, options.Value.MaxPdfPages);
            for (var number = 1; number <= pages; number++)
            {
                text.AppendLine(ContentOrderTextExtractor.GetText(document.GetPage(number), true));
            }

            return text.ToString();
        }
        catch (PdfDocumentEncryptedException ex)
        {
            throw Encrypted(ex);
        }
        catch (Exception ex) when (ex is not DocumentRefusedException and not OperationCanceledException and not OutOfMemoryException)
        {
            // PdfPig reports damage with several exception types; each means the same to the user.
            throw new DocumentRefusedException(DocumentProblem.Broken, $"The PDF is damaged and could not be read. {Accepted}", ex);
        }

        static DocumentRefusedException Encrypted(Exception? inner) => new(DocumentProblem.Encrypted,
            "The PDF is encrypted or password-protected, so I can't read it. Save or print it to a new PDF without a password and send that.", inner);
    }

    private static string ReadDocx(byte[] content)
    {
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            using var document = WordprocessingDocument.Open(stream, false, new OpenSettings { MaxCharactersInPart = 20_000_000 });
            if (document.DocumentType is WordprocessingDocumentType.MacroEnabledDocument or WordprocessingDocumentType.MacroEnabledTemplate
                || document.MainDocumentPart?.VbaProjectPart is not null)
            {
                throw new DocumentRefusedException(DocumentProblem.Macros,
                    "The document contains macros, and such files are not opened. Save it as a plain Word document (.docx) without macros, or as a PDF, and send that.");
            }

            var body = document.MainDocumentPart?.Document?.Body
                ?? throw new DocumentRefusedException(DocumentProblem.Broken, $"The Word document has no body text. {Accepted}");
            var text = new StringBuilder();
            foreach (var paragraph in body.Descendants<Paragraph>())
            {
                var line = string.Concat(paragraph.Descendants<DocumentFormat.OpenXml.Wordprocessing.Text>().Select(t => t.Text)).Trim();
                if (line.Length == 0)
                {
                    continue;
                }

                // A list item becomes a bullet line, which is how the fact extractor finds experiences and duties.
                text.Append(paragraph.ParagraphProperties?.NumberingProperties is not null ? "- " : string.Empty).AppendLine(line);
            }

            return text.ToString();
        }
        catch (Exception ex) when (ex is OpenXmlPackageException or InvalidDataException or FileFormatException or XmlException or IOException
            or InvalidOperationException or ArgumentException or NotSupportedException)
        {
            throw new DocumentRefusedException(DocumentProblem.Broken, $"The Word document is damaged and could not be read. {Accepted}", ex);
        }
    }

    private static string ReadText(byte[] content)
    {
        if (!LooksLikeText(content))
        {
            throw new DocumentRefusedException(DocumentProblem.Unsupported, $"The file is not plain text. {Accepted}");
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content.AsSpan().StartsWith("\uFEFF"u8) ? content.AsSpan(3) : content);
        }
        catch (DecoderFallbackException)
        {
            // Not UTF-8: older editors save Windows-1252, whose letters Latin-1 reads closely enough for facts.
            return Encoding.Latin1.GetString(content);
        }
    }

    private static bool LooksLikeText(byte[] content)
    {
        var sample = content.AsSpan(0, Math.Min(content.Length, 8192));
        var control = 0;
        foreach (var b in sample)
        {
            if (b == 0)
            {
                return false;
            }

            if (b < 0x09 || (b > 0x0D && b < 0x20))
            {
                control++;
            }
        }

        return control <= sample.Length / 100;
    }

    private static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n'))
        {
            builder.Append(c is '\t' or '\u00A0' ? ' ' : char.IsControl(c) && c != '\n' ? ' ' : c);
        }

        return builder.ToString().Trim();
    }

    private static string Megabytes(long bytes) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.#} MB");
}
