using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace CoachBot.Coaching.Questions;

/// <summary>
/// Loads question bank files and checks every rule, so that a bad file stops start-up with the file name
/// and the problem instead of surfacing later as an odd question in a chat.
/// </summary>
public static partial class QuestionBankLoader
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = false,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = false,
    };

    /// <summary>Loads every <c>*.json</c> file of the given folders (missing optional folders are skipped).</summary>
    public static QuestionBank LoadDirectories(IEnumerable<string> directories)
    {
        ArgumentNullException.ThrowIfNull(directories);
        var files = new List<string>();
        foreach (var directory in directories)
        {
            if (!Directory.Exists(directory))
            {
                throw new QuestionBankException($"Question bank folder '{directory}' does not exist.");
            }

            files.AddRange(Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal));
        }

        if (files.Count == 0)
        {
            throw new QuestionBankException(
                $"No question bank files (*.json) were found in {string.Join(", ", directories.Select(d => $"'{d}'"))}.");
        }

        return LoadFiles(files);
    }

    /// <summary>Loads and validates the given files as one bank.</summary>
    public static QuestionBank LoadFiles(IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var questions = new List<Question>();
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            foreach (var question in LoadFile(file))
            {
                if (seen.TryGetValue(question.Id, out var other))
                {
                    throw new QuestionBankException(
                        $"Question bank file '{name}': question id '{question.Id}' is already used in '{other}'.");
                }

                seen[question.Id] = name;
                questions.Add(question);
            }
        }

        return new QuestionBank(questions);
    }

    private static List<Question> LoadFile(string path)
    {
        var name = Path.GetFileName(path);
        QuestionFileDto? dto;
        try
        {
            using var stream = File.OpenRead(path);
            dto = JsonSerializer.Deserialize<QuestionFileDto>(stream, Options);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}" : string.Empty;
            throw new QuestionBankException($"Question bank file '{name}' is not valid JSON{where}: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new QuestionBankException($"Question bank file '{name}' cannot be read: {ex.Message}", ex);
        }

        if (dto is null)
        {
            throw new QuestionBankException($"Question bank file '{name}' is empty.");
        }

        var fail = (string problem) => new QuestionBankException($"Question bank file '{name}': {problem}");
        if (dto.Role is null || !Roles.All.Contains(dto.Role))
        {
            throw fail($"\"role\" must be one of {string.Join(", ", Roles.All)} (found '{dto.Role}').");
        }

        if (dto.Questions is not { Count: > 0 })
        {
            throw fail("\"questions\" must be a non-empty list.");
        }

        var result = new List<Question>(dto.Questions.Count);
        for (var i = 0; i < dto.Questions.Count; i++)
        {
            var q = dto.Questions[i];
            var label = q.Id is null ? $"question #{i + 1}" : $"question '{q.Id}'";
            Exception Bad(string problem) => fail($"{label}: {problem}");

            if (q.Id is null || !IdPattern().IsMatch(q.Id))
            {
                throw Bad("\"id\" must look like 'swe-001' (lower-case prefix, dash, three digits).");
            }

            if (q.Text is null || q.Text.Trim().Length is < 20 or > 300 || !(q.Text.TrimEnd().EndsWith('?') || q.Text.TrimEnd().EndsWith('.')))
            {
                throw Bad("\"text\" must be 20–300 characters and end with '?' or '.'.");
            }

            if (q.Category is null || !Categories.All.Contains(q.Category))
            {
                throw Bad($"\"category\" must be one of {string.Join(", ", Categories.All)} (found '{q.Category}').");
            }

            if (q.Difficulty is not (1 or 2 or 3))
            {
                throw Bad($"\"difficulty\" must be 1, 2 or 3 (found {q.Difficulty?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing"}).");
            }

            if (q.Competencies is not { Count: >= 1 and <= 3 } || q.Competencies.Any(c => c is null || !KebabPattern().IsMatch(c)))
            {
                throw Bad("\"competencies\" must hold 1–3 kebab-case ids such as 'conflict-resolution'.");
            }

            if (q.Rubric is not { Count: >= 3 and <= 6 })
            {
                throw Bad($"\"rubric\" must have 3–6 key points (has {q.Rubric?.Count ?? 0}).");
            }

            var rubric = new List<RubricPoint>(q.Rubric.Count);
            for (var r = 0; r < q.Rubric.Count; r++)
            {
                var point = q.Rubric[r];
                if (point?.Point is null || point.Point.Trim().Length is 0 or > 160)
                {
                    throw Bad($"rubric point #{r + 1} needs a \"point\" of 1–160 characters.");
                }

                if (point.Cues is not { Count: >= 1 and <= 24 } || point.Cues.Any(c => c is null || !CuePattern().IsMatch(c)))
                {
                    throw Bad($"rubric point #{r + 1} needs 1–24 \"cues\": lower-case words or short phrases, a trailing '*' for prefix match.");
                }

                rubric.Add(new RubricPoint(point.Point.Trim(), [.. point.Cues]));
            }

            if (q.FollowUps is not { Count: >= 1 and <= 2 } || q.FollowUps.Any(string.IsNullOrWhiteSpace))
            {
                throw Bad("\"followUps\" must hold 1 or 2 questions.");
            }

            result.Add(new Question(q.Id, q.Text.Trim(), dto.Role, q.Category, q.Difficulty.Value, [.. q.Competencies],
                rubric, [.. q.FollowUps.Select(f => f.Trim())]));
        }

        return result;
    }

    [GeneratedRegex("^[a-z]+-[0-9]{3}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex KebabPattern();

    [GeneratedRegex(@"^[a-z0-9'%$][a-z0-9'%$\-]*(?: [a-z0-9'%$\-]+){0,5}\*?$", RegexOptions.CultureInvariant)]
    private static partial Regex CuePattern();

    private sealed class QuestionFileDto
    {
        public string? Role { get; set; }

        public List<QuestionDto>? Questions { get; set; }
    }

    private sealed class QuestionDto
    {
        public string? Id { get; set; }

        public string? Text { get; set; }

        public string? Category { get; set; }

        public int? Difficulty { get; set; }

        public List<string>? Competencies { get; set; }

        public List<RubricPointDto>? Rubric { get; set; }

        public List<string>? FollowUps { get; set; }
    }

    private sealed class RubricPointDto
    {
        public string? Point { get; set; }

        public List<string>? Cues { get; set; }
    }
}
