using CoachBot.Coaching.Plans;
using CoachBot.Coaching.Tests.Support;
using DocumentFormat.OpenXml;

namespace CoachBot.Coaching.Tests.Plans;

public sealed class DocumentTextReaderTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly DocumentTextReader _reader = new(Microsoft.Extensions.Options.Options.Create(new PlanOptions { MaxFileBytes = 64 * 1024 }));

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void ReadFile_PdfWithText_ReturnsItsLines()
    {
        var text = _reader.ReadFile(Write("resume.pdf", PlanDocuments.Pdf(PlanDocuments.BackendResume)));

        Assert.Contains("Migrated billing to event sourcing", text, StringComparison.Ordinal);
        Assert.Contains("Kafka order pipeline", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFile_Docx_ReturnsListItemsAsBullets()
    {
        var text = _reader.ReadFile(Write("resume.docx", PlanDocuments.Docx(PlanDocuments.BackendResume)));

        Assert.Contains("- Migrated billing to event sourcing, cutting reconciliation errors by 40%", text.Split('\n'));
        Assert.Contains("Senior Backend Engineer", text.Split('\n'));
    }

    [Fact]
    public void ReadFile_PlainText_ReturnsIt()
    {
        var text = _reader.ReadFile(Write("resume.txt", PlanDocuments.Text(PlanDocuments.BackendResume)));

        Assert.StartsWith("Sam Rivera\nSenior Backend Engineer", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFile_OverTheSizeLimit_RefusedWithTheLimit()
    {
        var lines = Enumerable.Repeat("- Built and shipped a feature that customers used every single day of the year", 1200);

        var ex = Assert.Throws<DocumentRefusedException>(() => _reader.ReadFile(Write("long.txt", PlanDocuments.Text(lines))));

        Assert.Equal(DocumentProblem.TooLarge, ex.Problem);
        Assert.Contains("the limit is 0.1 MB", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFile_EncryptedPdf_RefusedAsEncrypted()
    {
        var ex = Assert.Throws<DocumentRefusedException>(() => _reader.ReadFile(Write("locked.pdf", PlanDocuments.EncryptedPdf())));

        Assert.Equal(DocumentProblem.Encrypted, ex.Problem);
        Assert.Contains("password", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFile_PdfWithoutText_RefusedAsNoText()
    {
        var ex = Assert.Throws<DocumentRefusedException>(() => _reader.ReadFile(Write("scan.pdf", PlanDocuments.PdfWithoutText())));

        Assert.Equal(DocumentProblem.NoText, ex.Problem);
        Assert.Contains("scanned", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFile_Image_RefusedAsNoText()
    {
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13 };

        var ex = Assert.Throws<DocumentRefusedException>(() => _reader.ReadFile(Write("resume.png", png)));

        Assert.Equal(DocumentProblem.NoText, ex.Problem);
    }

    [Fact]
    public void ReadFile_DocmExtension_RefusedAsMacros()
    {
        var bytes = PlanDocuments.Docx(PlanDocuments.BackendResume, WordprocessingDocumentType.MacroEnabledDocument, withMacros: true);

        var ex = Assert.Throws<DocumentRefusedException>(() => _reader.ReadFile(Write("resume.docm", bytes)));

        Assert.Equal(DocumentProblem.Macros, ex.Problem);
    }

    [Fact]
    public void ReadFile_MacroDocumentRenamedToDocx_RefusedAsMacros()
    {
        var bytes = PlanDocuments.Docx(PlanDocuments.BackendResume, WordprocessingDocumentType.MacroEnabledDocument, withMacros: true);

        var ex = Assert.Throws<DocumentRefusedException>(() => _reader.ReadFile(Write("resume.docx", bytes)));

        Assert.Equal(DocumentProblem.Macros, ex.Problem);
        Assert.Contains("macros", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFile_TruncatedPdf_RefusedAsBroken()
    {
        var pdf = PlanDocuments.Pdf(PlanDocuments.BackendResume);

        var ex = Assert.Throws<DocumentRefusedException>(() => _reader.ReadFile(Write("cut.pdf", pdf[..(pdf.Length / 3)])));

        Assert.Equal(DocumentProblem.Broken, ex.Problem);
    }

    [Fact]
    public void ReadFile_TruncatedDocx_RefusedAsBroken()
    {
        var docx = PlanDocuments.Docx(PlanDocuments.BackendResume);

        var ex = Assert.Throws<DocumentRefusedException>(() => _reader.ReadFile(Write("cut.docx", docx[..(docx.Length / 2)])));

        Assert.Equal(DocumentProblem.Broken, ex.Problem);
        Assert.Contains("damaged", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFile_TextRenamedToPdf_RefusedAsBroken()
    {
        var ex = Assert.Throws<DocumentRefusedException>(() => _reader.ReadFile(Write("resume.pdf", PlanDocuments.Text(PlanDocuments.BackendResume))));

        Assert.Equal(DocumentProblem.Broken, ex.Problem);
        Assert.Contains("not a PDF", ex.Message, StringComparison.Ordinal);
    }

    private string Write(string name, byte[] bytes)
    {
        var path = _folder.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
