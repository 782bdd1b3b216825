using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using CoachBot.Coaching.Speech.Whisper;

namespace CoachBot.Coaching.Tests.Speech.Whisper;

/// <summary>
/// The binding's structs against the real header: a small C program is compiled from whisper.h at test time and prints
/// sizeof and offsetof for every field; each must equal what the runtime lays out for our struct. Then the library's
/// own defaults are read through the struct, which catches a wrong layout from the other side.
/// </summary>
public sealed class WhisperLayoutTests
{
    // Fields of whisper.h 1.9.1 in declaration order (nested anonymous structs written with a dot).
    private static readonly string[] FullParamsFields =
    [
        "strategy", "n_threads", "n_max_text_ctx", "offset_ms", "duration_ms",
        "translate", "no_context", "no_timestamps", "single_segment", "print_special", "print_progress", "print_realtime", "print_timestamps",
        "token_timestamps", "thold_pt", "thold_ptsum", "max_len", "split_on_word", "max_tokens",
        "debug_mode", "audio_ctx", "tdrz_enable", "suppress_regex",
        "initial_prompt", "carry_initial_prompt", "prompt_tokens", "prompt_n_tokens",
        "language", "detect_language", "suppress_blank", "suppress_nst",
        "temperature", "max_initial_ts", "length_penalty", "temperature_inc", "entropy_thold", "logprob_thold", "no_speech_thold",
        "greedy.best_of", "beam_search.beam_size", "beam_search.patience",
        "new_segment_callback", "new_segment_callback_user_data", "progress_callback", "progress_callback_user_data",
        "encoder_begin_callback", "encoder_begin_callback_user_data", "abort_callback", "abort_callback_user_data",
        "logits_filter_callback", "logits_filter_callback_user_data",
        "grammar_rules", "n_grammar_rules", "i_start_rule", "grammar_penalty",
        "vad", "vad_model_path",
        "vad_params.threshold", "vad_params.min_speech_duration_ms", "vad_params.min_silence_duration_ms",
        "vad_params.max_speech_duration_s", "vad_params.speech_pad_ms", "vad_params.samples_overlap",
    ];

    private static readonly string[] ContextParamsFields =
    [
        "use_gpu", "flash_attn", "gpu_device", "dtw_token_timestamps", "dtw_aheads_preset", "dtw_n_top",
        "dtw_aheads.n_heads", "dtw_aheads.heads", "dtw_mem_size",
    ];

    private static readonly string[] TokenDataFields = ["id", "tid", "p", "plog", "pt", "ptsum", "t0", "t1", "t_dtw", "vlen"];

    private readonly ITestOutputHelper _output;

    public WhisperLayoutTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Structs_ComparedWithOffsetofFromWhisperHeader_MatchFieldByField()
    {
        var native = await MeasureHeaderAsync();

        AssertLayout<WhisperFullParams>("whisper_full_params", FullParamsFields, native);
        AssertLayout<WhisperContextParams>("whisper_context_params", ContextParamsFields, native);
        AssertLayout<WhisperTokenData>("whisper_token_data", TokenDataFields, native);
        _output.WriteLine($"whisper_full_params: {native["sizeof whisper_full_params"]} bytes, {FullParamsFields.Length} fields match");
    }

    [Fact]
    public void FullDefaultParams_ReadThroughOurStruct_ShowsTheLibrarysDefaults()
    {
        var library = WhisperLibrary.Load(WhisperTestFiles.BuildBin);

        var greedy = library.FullDefaultParams(WhisperSamplingStrategy.Greedy);
        var beam = library.FullDefaultParams(WhisperSamplingStrategy.BeamSearch);

        // Values from whisper_full_default_params() in whisper.cpp 1.9.1, spread over the whole struct.
        Assert.Equal(WhisperLibrary.BoundVersion, library.Version);
        Assert.Equal(0, greedy.Strategy);
        Assert.Equal(16384, greedy.NMaxTextCtx);
        Assert.Equal(1, greedy.NoContext);
        Assert.Equal(1, greedy.PrintProgress);
        Assert.Equal(0, greedy.TokenTimestamps);
        Assert.Equal(0.01f, greedy.TholdPt);
        Assert.Equal("en", Marshal.PtrToStringUTF8(greedy.Language));
        Assert.Equal(1, greedy.SuppressBlank);
        Assert.Equal(2.4f, greedy.EntropyThold);
        Assert.Equal(-1.0f, greedy.LogprobThold);
        Assert.Equal(0.6f, greedy.NoSpeechThold);
        Assert.Equal(5, greedy.GreedyBestOf);
        Assert.Equal(-1, greedy.BeamSearchBeamSize);
        Assert.Equal(0, greedy.AbortCallback);
        Assert.Equal(100.0f, greedy.GrammarPenalty);
        Assert.Equal(0, greedy.Vad);
        Assert.Equal(0.5f, greedy.VadParamsThreshold);
        Assert.Equal(250, greedy.VadParamsMinSpeechDurationMs);
        Assert.Equal(30, greedy.VadParamsSpeechPadMs);
        Assert.Equal(0.1f, greedy.VadParamsSamplesOverlap);
        Assert.Equal(1, beam.Strategy);
        Assert.Equal(5, beam.BeamSearchBeamSize);

        var context = library.ContextDefaultParams();
        Assert.Equal(1, context.UseGpu);
        Assert.Equal(1, context.FlashAttn);
        Assert.Equal(-1, context.DtwNTop);
    }

    private static void AssertLayout<T>(string cName, string[] fields, Dictionary<string, long> native)
        where T : struct
    {
        var managed = typeof(T).GetFields(BindingFlags.Public | BindingFlags.Instance);
        Assert.Equal(fields.Length, managed.Length);
        Assert.Equal(native[$"sizeof {cName}"], Marshal.SizeOf<T>());
        for (var i = 0; i < fields.Length; i++)
        {
            // Declaration order is part of the contract, and the C# name is the C name in PascalCase.
            Assert.Equal(Pascal(fields[i]), managed[i].Name);
            var offset = Marshal.OffsetOf<T>(managed[i].Name).ToInt64();
            Assert.True(native[$"{cName}.{fields[i]}"] == offset,
                $"{cName}.{fields[i]}: offsetof {native[$"{cName}.{fields[i]}"]}, ours {offset}");
            var size = Marshal.SizeOf(managed[i].FieldType);
            Assert.True(native[$"sizeof {cName}.{fields[i]}"] == size,
                $"{cName}.{fields[i]}: sizeof {native[$"sizeof {cName}.{fields[i]}"]}, ours {size}");
        }
    }

    private static string Pascal(string cName) =>
        string.Concat(cName.Split('_', '.').Select(part => part.Length == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..]));

    private static async Task<Dictionary<string, long>> MeasureHeaderAsync()
    {
        var source = new StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include \"whisper.h\"\nint main(void) {\n");
        foreach (var (name, fields) in new[] { ("whisper_full_params", FullParamsFields), ("whisper_context_params", ContextParamsFields), ("whisper_token_data", TokenDataFields) })
        {
            source.Append(CultureInfo.InvariantCulture, $"  printf(\"sizeof {name} %zu\\n\", sizeof(struct {name}));\n");
            foreach (var field in fields)
            {
                source.Append(CultureInfo.InvariantCulture, $"  printf(\"{name}.{field} %zu\\n\", offsetof(struct {name}, {field}));\n");
                source.Append(CultureInfo.InvariantCulture, $"  printf(\"sizeof {name}.{field} %zu\\n\", sizeof(((struct {name} *)0)->{field}));\n");
            }
        }

        source.Append("  return 0;\n}\n");
        var directory = Directory.CreateTempSubdirectory("coachbot-whisper-layout-");
        try
        {
            var program = Path.Combine(directory.FullName, "layout");
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "layout.c"), source.ToString());
            var include = Path.Combine(WhisperTestFiles.Source, "include");
            var ggml = Path.Combine(WhisperTestFiles.Source, "ggml", "include");
            await RunAsync("cc", ["-std=c11", "-I", include, "-I", ggml, "-o", program, Path.Combine(directory.FullName, "layout.c")]);
            var output = await RunAsync(program, []);
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(' '))
                .ToDictionary(parts => string.Join(' ', parts[..^1]), parts => long.Parse(parts[^1], CultureInfo.InvariantCulture));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<string> RunAsync(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(process.ExitCode == 0, $"{file} failed: {await stderr}");
        return await stdout;
    }
}
