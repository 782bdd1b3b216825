using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CoachBot.Coaching.Knowledge;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Reports;
using Microsoft.Extensions.Options;

namespace CoachBot.Bot.Cli;

/// <summary>
/// <c>coachbot knowledge ingest|search|show|delete|stats</c>: the admin commands of the knowledge store. Ingest reads Markdown,
/// text and HTML files (a file or a folder, recursively), skipping others with a reason; it is idempotent by content hash.
/// </summary>
internal static class KnowledgeCommand
{
    public static Command Create(CliContext context) => new("knowledge", "Manage and search the coaching knowledge base.")
    {
        Ingest(context), Search(context), Show(context), Delete(context), Stats(context),
    };

    private static Command Ingest(CliContext context)
    {
        var path = new Argument<string>("path") { Description = "A .md, .txt or .html file, or a folder of them (searched recursively)." };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("ingest", "Add or update documents; unchanged files are skipped by content hash.") { path, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var target = Path.GetFullPath(parse.GetValue(path)!);
            if (!File.Exists(target) && !Directory.Exists(target))
            {
                await context.Error.WriteLineAsync($"No file at {target}");
                return CoachBotCli.Refused;
            }

            var limit = context.Services.GetRequiredService<IOptions<KnowledgeOptions>>().Value.MaxFileBytes;
            var (documents, skipped) = await ReadAsync(target, limit, cancellationToken);
            KnowledgeIngestResult? result = null;
            if (documents.Count > 0)
            {
                try
                {
                    result = await context.Services.GetRequiredService<IKnowledgeStore>().IngestAsync(documents, cancellationToken);
                }
                catch (KnowledgeException ex)
                {
                    await context.Error.WriteLineAsync($"Nothing was ingested: {ex.Message}");
                    return CoachBotCli.Refused;
                }
            }

            result ??= new KnowledgeIngestResult(0, 0, 0, 0, 0);
            if (parse.GetValue(json))
            {
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    result.Added, result.Updated, result.Unchanged, Skipped = skipped.Select(s => new { file = s.File, reason = s.Reason }),
                    result.Chunks, result.Embedded,
                }, ReportJson.Options));
            }
            else
            {
                foreach (var (file, reason) in skipped)
                {
                    await context.Output.WriteLineAsync($"skipped {file}: {reason}");
                }

                await context.Output.WriteLineAsync(
                    $"{result.Added} added, {result.Updated} updated, {result.Unchanged} unchanged, {skipped.Count} skipped; {result.Chunks} chunks written, {result.Embedded} embedded");
            }

            return documents.Count == 0 ? CoachBotCli.Refused : CoachBotCli.Ok;
        });
        return command;
    }

    private static async Task<(List<KnowledgeDocument> Documents, List<(string File, string Reason)> Skipped)> ReadAsync(string target, int limit, CancellationToken cancellationToken)
    {
        var isDirectory = Directory.Exists(target);
        var files = isDirectory
            ? Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
            : [target];
        var documents = new List<KnowledgeDocument>();
        var skipped = new List<(string, string)>();
        foreach (var file in files)
        {
            // The source is the path under the folder given (or the file name): stable when the same folder is ingested again.
            var source = isDirectory ? Path.GetRelativePath(target, file).Replace('\\', '/') : Path.GetFileName(file);
            var extension = Path.GetExtension(file);
            if (!DocumentParser.SupportedExtensions.Contains(extension))
            {
                skipped.Add((source, $"unsupported file type '{(extension.Length == 0 ? "(none)" : extension)}' (supported: .md, .markdown, .txt, .html, .htm)"));
                continue;
            }

            var size = new FileInfo(file).Length;
            if (size > limit)
            {
                skipped.Add((source, string.Create(CultureInfo.InvariantCulture, $"too large: {size / 1024.0 / 1024.0:0.0} MB, the limit is {limit / 1024.0 / 1024.0:0.0} MB (Knowledge:MaxFileBytes)")));
                continue;
            }

            var bytes = await File.ReadAllBytesAsync(file, cancellationToken);
            string text;
            try
            {
                text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                skipped.Add((source, "not UTF-8 text"));
                continue;
            }

            if (text.Contains('\0', StringComparison.Ordinal))
            {
                skipped.Add((source, "not a text file (it contains binary data)"));
                continue;
            }

            var document = DocumentParser.Parse(source, file, text);
            if (string.IsNullOrWhiteSpace(document.Text))
            {
                skipped.Add((source, "no text in it"));
                continue;
            }

            documents.Add(document);
        }

        return (documents, skipped);
    }

    private static Command Search(CliContext context)
    {
        var query = new Argument<string>("query") { Description = "What to look for, in plain words." };
        var role = new Option<string>("--role") { Description = "Only knowledge for this role (and for every role)." };
        var category = new Option<string>("--category") { Description = "Only knowledge for this question category: " + string.Join(", ", Categories.All) + "." };
        var source = new Option<string>("--source") { Description = "Only documents whose source starts with this (builtin:, rubric:, a file name)." };
        var top = new Option<int>("--top") { Description = "How many chunks (1–50).", DefaultValueFactory = _ => 5 };
        var mode = new Option<string>("--mode") { Description = "hybrid (default), bm25 or vector.", DefaultValueFactory = _ => "hybrid" };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("search", "Search the knowledge base.") { query, role, category, source, top, mode, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var text = parse.GetValue(query);
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new UsageException("search needs a query: knowledge search \"how do I stop saying um\".");
            }

            var modeValue = parse.GetValue(mode)!;
            var searchMode = modeValue.ToLowerInvariant() switch
            {
                "hybrid" => KnowledgeSearchMode.Hybrid,
                "bm25" => KnowledgeSearchMode.Bm25,
                "vector" => KnowledgeSearchMode.Vector,
                _ => throw new UsageException($"Unknown mode '{modeValue}'. Modes: hybrid, bm25, vector."),
            };

            var count = parse.GetValue(top);
            if (count is < 1 or > 50)
            {
                throw new UsageException("--top must be between 1 and 50.");
            }

            var resolvedRole = CliArguments.Role(parse.GetValue(role));
            var categoryValue = CliArguments.Category(parse.GetValue(category));

            KnowledgeSearchResult result;
            try
            {
                result = await context.Services.GetRequiredService<IKnowledgeStore>().SearchAsync(
                    new KnowledgeQuery(text) { Role = resolvedRole, Category = categoryValue, SourcePrefix = parse.GetValue(source), Top = count, Mode = searchMode },
                    cancellationToken);
            }
            catch (KnowledgeException ex)
            {
                await context.Error.WriteLineAsync(ex.Message);
                return CoachBotCli.Refused;
            }

            if (parse.GetValue(json))
            {
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    query = text, mode = result.Mode.ToString().ToLowerInvariant(), embeddingModel = result.EmbeddingModel,
                    hits = result.Hits.Select(h => new
                    {
                        h.Snippet.ChunkId, h.Snippet.Title, h.Snippet.Source, h.Snippet.Score, h.Roles, h.Categories, h.Bm25Rank, h.VectorRank, h.Snippet.Text,
                    }),
                }, ReportJson.Options));
                return CoachBotCli.Ok;
            }

            var output = new StringBuilder();
            output.AppendLine(CultureInfo.InvariantCulture, $"{result.Hits.Count} results ({result.Mode.ToString().ToLowerInvariant()}{(result.EmbeddingModel is null ? string.Empty : ", " + result.EmbeddingModel)})");
            var rank = 0;
            foreach (var hit in result.Hits)
            {
                var snippet = hit.Snippet;
                var preview = snippet.Text.ReplaceLineEndings(" ");
                output.AppendLine(CultureInfo.InvariantCulture, $"{++rank,2}. {snippet.Title}  [{snippet.ChunkId}]  score {snippet.Score:0.####}");
                output.AppendLine(CultureInfo.InvariantCulture, $"    {(preview.Length > 160 ? preview[..160] + "…" : preview)}");
            }

            await context.Output.WriteAsync(output.ToString());
            return CoachBotCli.Ok;
        });
        return command;
    }

    private static Command Show(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The article's id, as a report's \"More in\" pointer gives it: builtin:<article>, rubric:<question> or an ingested file's name." };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("show", "Print one article of the knowledge base: its title and full text.") { id, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var source = parse.GetValue(id) ?? string.Empty;
            var article = await context.Services.GetRequiredService<IKnowledgeStore>().GetDocumentAsync(source, cancellationToken);
            if (article is null)
            {
                await context.Error.WriteLineAsync($"No article {source}. `knowledge search <words>` lists articles with their ids (the source field).");
                return CoachBotCli.Refused;
            }

            await context.Output.WriteLineAsync(parse.GetValue(json)
                ? JsonSerializer.Serialize(new { id = article.Source, article.Title, article.Roles, article.Categories, article.Text }, ReportJson.Options)
                : $"{article.Title}\n{new string('=', Math.Min(article.Title.Length, 80))}\n\n{article.Text}");
            return CoachBotCli.Ok;
        });
        return command;
    }

    private static Command Delete(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The document's id, as `knowledge search` prints it (its source): an ingested file's name, builtin:<article> or rubric:<question>." };
        var command = new Command("delete", "Remove one document and its chunks from the knowledge base (a built-in one is added again at the next start).") { id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var source = parse.GetValue(id) ?? string.Empty;
            bool deleted;
            try
            {
                deleted = await context.Services.GetRequiredService<IKnowledgeStore>().DeleteAsync(source, cancellationToken);
            }
            catch (KnowledgeException ex)
            {
                await context.Error.WriteLineAsync(ex.Message);
                return CoachBotCli.Refused;
            }

            if (!deleted)
            {
                await context.Error.WriteLineAsync($"No document {source}; nothing was deleted. `knowledge search <words>` lists documents with their ids (the source field).");
                return CoachBotCli.Refused;
            }

            await context.Output.WriteLineAsync($"deleted {source}");
            return CoachBotCli.Ok;
        });
        return command;
    }

    private static Command Stats(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("stats", "What the knowledge base holds and which embedding model it uses.") { json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stats = await context.Services.GetRequiredService<IKnowledgeStore>().GetStatsAsync(cancellationToken);
            await context.Output.WriteLineAsync(parse.GetValue(json)
                ? JsonSerializer.Serialize(stats, ReportJson.Options)
                : string.Create(CultureInfo.InvariantCulture,
                    $"""
                    documents: {stats.Documents}
                    chunks: {stats.Chunks} ({string.Join(", ", stats.Sources.Select(s => $"{s.Key} {s.Value}"))})
                    embedded: {stats.EmbeddedChunks}
                    embedding model: {stats.EmbeddingModel ?? "none — " + stats.EmbeddingUnavailableReason}
                    vector matrix: {stats.VectorMatrixBytes / 1024.0:0.0} KiB
                    """));
            return CoachBotCli.Ok;
        });
        return command;
    }
}
