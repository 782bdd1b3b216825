using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace CoachBot.Coaching.Tests.Plans;

/// <summary>Résumés and job descriptions written by the tests themselves: PDF (PdfPig's builder), DOCX (Open XML SDK) and text.</summary>
internal static class PlanDocuments
{
    public static readonly string[] BackendResume =
    [
        "Sam Rivera",
        "Senior Backend Engineer",
        "Experience",
        "- Migrated billing to event sourcing, cutting reconciliation errors by 40%",
        "- Built a Kafka order pipeline that handles 2 million events a day",
        "- Led a team of four engineers through the move to Kubernetes on AWS",
        "- Reduced p95 API latency from 800 ms to 120 ms with Redis caching",
        "- Mentored two junior developers on code review and testing",
        "Skills",
        "C#, .NET, PostgreSQL, Kafka, Docker, Kubernetes, AWS, REST APIs, system design",
    ];

    public static readonly string[] DataAnalystJob =
    [
        "Data Analyst",
        "We are hiring a data analyst for our growth team.",
        "What you'll do:",
        "- Build dashboards in Tableau for the sales and marketing teams",
        "- Analyse product usage and retention to find growth opportunities",
        "- Design and evaluate A/B tests with product managers",
        "- Present insights to senior leaders in clear, simple language",
        "Requirements:",
        "- 3+ years of experience with SQL and Python",
        "- A strong statistics background",
    ];

    public static readonly string[] ProductManagerJob =
    [
        "Senior Product Manager",
        "Responsibilities",
        "- Own the product roadmap for our payments platform",
        "- Run customer interviews and user research to shape discovery",
        "- Prioritise the backlog with engineering and design",
        "- Define success metrics and KPIs for every launch",
        "Requirements",
        "- 5+ years of product management experience",
        "- Excellent communication and stakeholder management",
    ];

    public static readonly string[] SupportResume =
    [
        "Maria Lopez",
        "Senior Support Specialist",
        "Experience",
        "- Handled 40+ tickets a day in Zendesk with a 96% CSAT score",
        "- Created a help centre of 120 articles that cut repeat tickets by 25%",
        "- Trained 8 new support agents and wrote my team's onboarding playbook",
        "- Flagged a recurring invoicing bug that affected 300 customers and worked with engineers on the fix",
        "Skills",
        "Zendesk, Intercom, Jira, Excel",
    ];

    /// <summary>A customer success job wrapped in the boilerplate job ads carry: a blurb, "we are hiring", benefits, equal-opportunity text.</summary>
    public static readonly string[] CustomerSuccessJob =
    [
        "Customer Success Manager",
        "About us",
        "Ledgerly is a fast-growing company that helps 5,000 small businesses run their finances. We are hiring!",
        "The role",
        "- Own a portfolio of 60 mid-market accounts from onboarding to renewal",
        "- Run quarterly business reviews and drive adoption",
        "- Identify churn risks early and build save plans with the account team",
        "- Keep account health up to date in Salesforce and Gainsight",
        "Benefits",
        "- A £1,000 learning budget and 25 days holiday",
        "- Private health insurance and a pension",
        "We are an equal opportunity employer and welcome applicants regardless of background.",
    ];

    public static readonly string[] AnalystResume =
    [
        "Tom Becker",
        "Junior Data Analyst",
        "- Built 25 Looker dashboards used by the billing and field teams every week",
        "- Wrote SQL in BigQuery to reconcile meter readings, finding £240k of unbilled usage",
        "- Automated a weekly Excel report with Python, saving the finance team 6 hours a week",
        "Skills: SQL, BigQuery, Looker, Python, Excel",
    ];

    public static readonly string[] AnalyticsEngineerJob =
    [
        "Analytics Engineer",
        "We're looking for an analytics engineer to join our data team.",
        "Responsibilities",
        "- Build and maintain dbt models in Snowflake that the whole company trusts",
        "- Design a clean semantic layer in Looker for self-serve reporting",
        "- Orchestrate pipelines with Airflow and monitor data freshness",
        "- Partner with finance to define metrics and KPIs",
        "Perks",
        "Remote-first, stock options and a home office budget.",
    ];

    public static byte[] Text(IEnumerable<string> lines) => Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");

    /// <summary>A PDF with one line of text per row (Helvetica, ASCII).</summary>
    public static byte[] Pdf(IEnumerable<string> lines)
    {
        using var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var page = builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
        var y = 800.0;
        foreach (var line in lines)
        {
            page.AddText(line, 10, new PdfPoint(40, y), font);
            y -= 16;
        }

        return builder.Build();
    }

    /// <summary>A PDF whose only page holds a drawing and no text, as a scanned page would.</summary>
    public static byte[] PdfWithoutText()
    {
        using var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
        page.DrawRectangle(new PdfPoint(50, 50), 300, 400, 2, fill: true);
        return builder.Build();
    }

    /// <summary>
    /// A PDF with text whose trailer names a standard security handler (RC4, revision 2), written by hand because the
    /// builder cannot encrypt. The keys are not real, so no reader can decrypt it without the password.
    /// </summary>
    public static byte[] EncryptedPdf()
    {
        const string content = "BT /F1 12 Tf 40 780 Td (Confidential resume of a backend engineer with many years of experience) Tj ET";
        var objects = new[]
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            $"<< /Length {content.Length} >>\nstream\n{content}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            "<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <" + new string('A', 64) + "> /U <" + new string('B', 64) + "> >>",
        };
        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(Encoding.Latin1.GetByteCount(pdf.ToString()));
            pdf.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = Encoding.Latin1.GetByteCount(pdf.ToString());
        pdf.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }

        pdf.Append(CultureInfo.InvariantCulture,
            $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R /Encrypt 6 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>] >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(pdf.ToString());
    }

    /// <summary>A Word document: list paragraphs for lines starting with "- ", plain paragraphs for the rest.</summary>
    public static byte[] Docx(IEnumerable<string> lines, WordprocessingDocumentType type = WordprocessingDocumentType.Document, bool withMacros = false)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, type))
        {
            var main = document.AddMainDocumentPart();
            var body = new Body();
            foreach (var line in lines)
            {
                var paragraph = new Paragraph();
                var text = line;
                if (line.StartsWith("- ", StringComparison.Ordinal))
                {
                    paragraph.Append(new ParagraphProperties(new NumberingProperties(new NumberingLevelReference { Val = 0 }, new NumberingId { Val = 1 })));
                    text = line[2..];
                }

                paragraph.Append(new Run(new DocumentFormat.OpenXml.Wordprocessing.Text(text)));
                body.Append(paragraph);
            }

            main.Document = new Document(body);
            if (withMacros)
            {
                var vba = main.AddNewPart<VbaProjectPart>();
                using var part = vba.GetStream(FileMode.Create);
                part.Write([0xCC, 0x61, 0xFF, 0xFF, 0x00, 0x00]);
            }
        }

        return stream.ToArray();
    }
}
