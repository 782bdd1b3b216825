using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace CoachBot.Coaching.Knowledge;

/// <summary>Turns Markdown (with optional front matter), plain text and HTML into <see cref="KnowledgeDocument"/>s.</summary>
public static partial class DocumentParser
{
    /// <summary>The file types <c>knowledge ingest</c> reads.</summary>
    public static readonly IReadOnlySet<string> SupportedExtensions =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".md", ".markdown", ".txt", ".html", ".htm" };

    /// <summary>Parses a file's text by its extension: HTML (<c>.html</c>, <c>.htm</c>), plain text (<c>.txt</c>), otherwise Markdown.</summary>
    /// <param name="source">The document's stable identity.</param>
    /// <param name="fileName">The file name (for the extension and a fallback title).</param>
    /// <param name="content">The file's text.</param>
    public static KnowledgeDocument Parse(string source, string fileName, string content)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(content);
        var extension = Path.GetExtension(fileName);
        return extension.ToLowerInvariant() switch
        {
            ".html" or ".htm" => FromHtml(source, fileName, content),
            ".txt" => new KnowledgeDocument(source, Path.GetFileNameWithoutExtension(fileName), Normalize(content)),
            _ => FromMarkdown(source, fileName, content),
        };
    }

    /// <summary>Markdown with optional front matter (<c>title</c>, <c>roles</c>, <c>categories</c>, <c>tags</c>; <c>all</c> means every).</summary>
    /// <param name="source">The document's stable identity.</param>
    /// <param name="fileName">The file name (the title when there is neither front matter nor a heading).</param>
    /// <param name="content">The Markdown.</param>
    public static KnowledgeDocument FromMarkdown(string source, string fileName, string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var text = Normalize(content);
        var meta = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (text.StartsWith("---\n", StringComparison.Ordinal) && text.IndexOf("\n---", 3, StringComparison.Ordinal) is var end and > 0)
        {
            foreach (var line in text[4..end].Split('\n'))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    meta[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                }
            }

            var bodyStart = text.IndexOf('\n', end + 1);
            text = bodyStart < 0 ? string.Empty : text[(bodyStart + 1)..];
        }

        var title = meta.GetValueOrDefault("title");
        if (string.IsNullOrWhiteSpace(title))
        {
            var heading = HeadingLine().Match(text);
            title = heading.Success ? heading.Groups[2].Value.Trim() : Path.GetFileNameWithoutExtension(fileName);
        }

        return new KnowledgeDocument(source, title.Trim('"', '\''), text)
        {
            Roles = List(meta.GetValueOrDefault("roles")),
            Categories = List(meta.GetValueOrDefault("categories")),
            Tags = List(meta.GetValueOrDefault("tags")),
        };
    }

    /// <summary>HTML: scripts, styles and navigation dropped, headings kept as Markdown headings, the title from &lt;title&gt; or the first heading.</summary>
    /// <param name="source">The document's stable identity.</param>
    /// <param name="fileName">The file name (the title when the page has none).</param>
    /// <param name="html">The HTML.</param>
    public static KnowledgeDocument FromHtml(string source, string fileName, string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var text = Normalize(html);
        var titleMatch = HtmlTitle().Match(text);
        text = HtmlDrop().Replace(text, " ");
        // Headings become Markdown headings so the chunker keeps the document's outline.
        text = HtmlHeading().Replace(text, m => $"\n\n{new string('#', m.Groups[1].Value[0] - '0')} {Inline(m.Groups[2].Value)}\n\n");
        text = HtmlListItem().Replace(text, "\n- ");
        text = HtmlBlock().Replace(text, "\n\n");
        text = HtmlTag().Replace(text, " ");
        text = WebUtility.HtmlDecode(text);
        text = string.Join('\n', text.Split('\n').Select(l => Spaces().Replace(l, " ").Trim()));
        text = BlankLines().Replace(text, "\n\n").Trim();
        var title = titleMatch.Success ? Inline(titleMatch.Groups[1].Value) : string.Empty;
        if (string.IsNullOrWhiteSpace(title))
        {
            var heading = HeadingLine().Match(text);
            title = heading.Success ? heading.Groups[2].Value.Trim() : Path.GetFileNameWithoutExtension(fileName);
        }

        return new KnowledgeDocument(source, title, text);
    }

    private static string Inline(string html) =>
        Spaces().Replace(WebUtility.HtmlDecode(HtmlTag().Replace(html, " ")), " ").Trim();

    private static string Normalize(string content) =>
        content.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').TrimStart('\uFEFF');

    private static List<string> List(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }

        var items = value.Trim().TrimStart('[').TrimEnd(']').Split(',')
            .Select(v => v.Trim().Trim('"', '\'').ToLowerInvariant())
            .Where(v => v.Length > 0)
            .ToList();
        return items.Contains("all") ? [] : items;
    }

    [GeneratedRegex(@"^(#{1,6})\s+(.+)$", RegexOptions.Multiline)]
    private static partial Regex HeadingLine();

    [GeneratedRegex(@"<title[^>]*>(.*?)</title>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex HtmlTitle();

    [GeneratedRegex(@"<(script|style|head|nav|footer|noscript)\b[^>]*>.*?</\1\s*>|<!--.*?-->", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex HtmlDrop();

    [GeneratedRegex(@"<h([1-6])\b[^>]*>(.*?)</h\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex HtmlHeading();

    [GeneratedRegex(@"<li\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlListItem();

    [GeneratedRegex(@"</?(p|div|section|article|br|ul|ol|table|tr|blockquote|pre)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlBlock();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"[ \t\u00A0]+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex BlankLines();
}

/// <summary>One chunk of a document.</summary>
/// <param name="Ordinal">Position in the document.</param>
/// <param name="TitlePath">Document title and the heading path of the chunk's first section.</param>
/// <param name="Text">The chunk text.</param>
/// <param name="Tokens">Approximate token count.</param>
internal sealed record Chunk(int Ordinal, string TitlePath, string Text, int Tokens);

/// <summary>
/// Heading-aware chunking: sections (by Markdown heading) are kept whole and merged with their neighbours until a
/// chunk reaches the minimum size; a section over the maximum is split at paragraphs, then sentences, and the next
/// piece starts with the last sentences of the previous one (the overlap).
/// </summary>
internal static partial class Chunker
{
    public static IReadOnlyList<Chunk> Split(KnowledgeDocument document, int minTokens, int maxTokens, int overlapTokens)
    {
        var sections = Sections(document);
        var chunks = new List<Chunk>();
        var buffer = new StringBuilder();
        string? bufferPath = null;
        var bufferTokens = 0;

        void Flush()
        {
            if (bufferTokens > 0)
            {
                chunks.Add(new Chunk(chunks.Count, bufferPath!, buffer.ToString().Trim(), bufferTokens));
            }

            buffer.Clear();
            bufferPath = null;
            bufferTokens = 0;
        }

        foreach (var (path, body) in sections)
        {
            var tokens = Tokens(body);
            if (tokens == 0)
            {
                continue;
            }

            if (tokens > maxTokens)
            {
                Flush();
                foreach (var piece in SplitLong(body, maxTokens, overlapTokens))
                {
                    chunks.Add(new Chunk(chunks.Count, path, piece, Tokens(piece)));
                }

                continue;
            }

            if (bufferTokens > 0 && bufferTokens + tokens > maxTokens)
            {
                Flush();
            }

            bufferPath ??= path;
            buffer.Append(body).Append("\n\n");
            bufferTokens += tokens;
            if (bufferTokens >= minTokens)
            {
                Flush();
            }
        }

        // A short tail joins the previous chunk when that keeps it under the maximum.
        if (bufferTokens > 0 && chunks.Count > 0 && chunks[^1].Tokens + bufferTokens <= maxTokens)
        {
            var last = chunks[^1];
            var text = last.Text + "\n\n" + buffer.ToString().Trim();
            chunks[^1] = last with { Text = text, Tokens = last.Tokens + bufferTokens };
            bufferTokens = 0;
        }

        Flush();
        return chunks;
    }

    /// <summary>Approximate tokens: words × 4/3 (English averages about 0.75 words per model token).</summary>
    public static int Tokens(string text) => (int)Math.Ceiling(Words().Count(text) * 4 / 3.0);

    private static List<(string Path, string Body)> Sections(KnowledgeDocument document)
    {
        var sections = new List<(string, string)>();
        var headings = new List<(int Level, string Text)>();
        var body = new StringBuilder();
        var inFence = false;

        void Close()
        {
            var text = body.ToString().Trim();
            if (text.Length > 0)
            {
                var path = string.Join(" > ", new[] { document.Title }.Concat(
                    headings.Select(h => h.Text).Where(h => !h.Equals(document.Title, StringComparison.OrdinalIgnoreCase))));
                // The heading itself is part of the text, so a search for it finds the section.
                var heading = headings.Count > 0 && !headings[^1].Text.Equals(document.Title, StringComparison.OrdinalIgnoreCase)
                    ? headings[^1].Text + "\n\n"
                    : string.Empty;
                sections.Add((path, heading + text));
            }

            body.Clear();
        }

        foreach (var line in document.Text.Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
            }

            var match = inFence ? Match.Empty : Heading().Match(line);
            if (match.Success)
            {
                Close();
                var level = match.Groups[1].Value.Length;
                headings.RemoveAll(h => h.Level >= level);
                headings.Add((level, match.Groups[2].Value.Trim().TrimEnd('#').Trim()));
                continue;
            }

            body.Append(line).Append('\n');
        }

        Close();
        return sections;
    }

    private static List<string> SplitLong(string body, int maxTokens, int overlapTokens)
    {
        // Units: paragraphs, and sentences of paragraphs that are themselves too long.
        var units = new List<string>();
        foreach (var paragraph in body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Tokens(paragraph) <= maxTokens)
            {
                units.Add(paragraph);
                continue;
            }

            foreach (var sentence in Sentence().Split(paragraph).Where(s => s.Length > 0))
            {
                if (Tokens(sentence) <= maxTokens)
                {
                    units.Add(sentence);
                    continue;
                }

                // A "sentence" longer than a chunk (a table, a list without stops): cut by words.
                var words = sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var step = Math.Max(1, maxTokens * 3 / 4);
                for (var i = 0; i < words.Length; i += step)
                {
                    units.Add(string.Join(' ', words.Skip(i).Take(step)));
                }
            }
        }

        var pieces = new List<string>();
        var current = new List<string>();
        var tokens = 0;
        foreach (var unit in units)
        {
            var unitTokens = Tokens(unit);
            if (tokens > 0 && tokens + unitTokens > maxTokens)
            {
                pieces.Add(string.Join("\n\n", current));
                // Overlap: the next piece starts with the last sentences (up to overlapTokens) of this one.
                var sentences = Sentence().Split(current[^1]).Where(x => x.Length > 0).ToList();
                var carried = new List<string>();
                var carriedTokens = 0;
                for (var i = sentences.Count - 1; i >= 0; i--)
                {
                    var t = Tokens(sentences[i]);
                    if (carriedTokens + t > overlapTokens || carriedTokens + t + unitTokens > maxTokens)
                    {
                        break;
                    }

                    carried.Insert(0, sentences[i]);
                    carriedTokens += t;
                }

                current = carried.Count == 0 ? [] : [string.Join(' ', carried)];
                tokens = carriedTokens;
            }

            current.Add(unit);
            tokens += unitTokens;
        }

        if (current.Count > 0)
        {
            pieces.Add(string.Join("\n\n", current));
        }

        return pieces;
    }

    [GeneratedRegex(@"^(#{1,6})\s+(.+)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"\S+")]
    private static partial Regex Words();

    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex Sentence();
}
