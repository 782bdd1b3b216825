using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace CoachBot.Coaching.Speech.Whisper;

/// <summary>
/// Our binding of whisper.cpp's C API (whisper.h, version 1.9.1): the library is loaded explicitly from a folder and
/// each function is bound to a function pointer. No <c>DllImport</c> resolver is installed, so the binding does not
/// compete with other native bindings of this assembly for the one resolver an assembly may have.
/// </summary>
internal sealed unsafe class WhisperLibrary
{
    /// <summary>The whisper.cpp version this binding's structs match.</summary>
    public const string BoundVersion = "1.9.1";

    private static readonly ConcurrentDictionary<string, Lazy<WhisperLibrary>> Loaded = new(StringComparer.Ordinal);
    private static ILogger? s_nativeLogger;

    // In load order: each library's dependencies come first, so an explicit path always wins over the system's search.
    private static readonly string[] LinuxFiles = ["libggml-base.so", "libggml-cpu.so", "libggml.so", "libwhisper.so"];
    private static readonly string[] MacFiles = ["libggml-base.dylib", "libggml-cpu.dylib", "libggml.dylib", "libwhisper.dylib"];
    private static readonly string[] WindowsFiles = ["ggml-base.dll", "ggml-cpu.dll", "ggml.dll", "whisper.dll"];

    private readonly delegate* unmanaged[Cdecl]<byte*> _version;
    private readonly delegate* unmanaged[Cdecl]<WhisperContextParams> _contextDefaultParams;
    private readonly delegate* unmanaged[Cdecl]<byte*, WhisperContextParams, nint> _initFromFileWithParams;
    private readonly delegate* unmanaged[Cdecl]<nint, void> _free;
    private readonly delegate* unmanaged[Cdecl]<int, WhisperFullParams> _fullDefaultParams;
    private readonly delegate* unmanaged[Cdecl]<nint, WhisperFullParams, float*, int, int> _full;
    private readonly delegate* unmanaged[Cdecl]<nint, int> _fullNSegments;
    private readonly delegate* unmanaged[Cdecl]<nint, int, long> _fullGetSegmentT0;
    private readonly delegate* unmanaged[Cdecl]<nint, int, long> _fullGetSegmentT1;
    private readonly delegate* unmanaged[Cdecl]<nint, int, byte*> _fullGetSegmentText;
    private readonly delegate* unmanaged[Cdecl]<nint, int, int> _fullNTokens;
    private readonly delegate* unmanaged[Cdecl]<nint, int, int, byte*> _fullGetTokenText;
    private readonly delegate* unmanaged[Cdecl]<nint, int, int, WhisperTokenData> _fullGetTokenData;
    private readonly delegate* unmanaged[Cdecl]<nint, int> _tokenEot;
    private readonly delegate* unmanaged[Cdecl]<delegate* unmanaged[Cdecl]<int, byte*, nint, void>, nint, void> _logSet;

    private WhisperLibrary(string path, nint handle)
    {
        Path = path;
        _version = (delegate* unmanaged[Cdecl]<byte*>)Export(handle, "whisper_version");
        _contextDefaultParams = (delegate* unmanaged[Cdecl]<WhisperContextParams>)Export(handle, "whisper_context_default_params");
        _initFromFileWithParams = (delegate* unmanaged[Cdecl]<byte*, WhisperContextParams, nint>)Export(handle, "whisper_init_from_file_with_params");
        _free = (delegate* unmanaged[Cdecl]<nint, void>)Export(handle, "whisper_free");
        _fullDefaultParams = (delegate* unmanaged[Cdecl]<int, WhisperFullParams>)Export(handle, "whisper_full_default_params");
        _full = (delegate* unmanaged[Cdecl]<nint, WhisperFullParams, float*, int, int>)Export(handle, "whisper_full");
        _fullNSegments = (delegate* unmanaged[Cdecl]<nint, int>)Export(handle, "whisper_full_n_segments");
        _fullGetSegmentT0 = (delegate* unmanaged[Cdecl]<nint, int, long>)Export(handle, "whisper_full_get_segment_t0");
        _fullGetSegmentT1 = (delegate* unmanaged[Cdecl]<nint, int, long>)Export(handle, "whisper_full_get_segment_t1");
        _fullGetSegmentText = (delegate* unmanaged[Cdecl]<nint, int, byte*>)Export(handle, "whisper_full_get_segment_text");
        _fullNTokens = (delegate* unmanaged[Cdecl]<nint, int, int>)Export(handle, "whisper_full_n_tokens");
        _fullGetTokenText = (delegate* unmanaged[Cdecl]<nint, int, int, byte*>)Export(handle, "whisper_full_get_token_text");
        _fullGetTokenData = (delegate* unmanaged[Cdecl]<nint, int, int, WhisperTokenData>)Export(handle, "whisper_full_get_token_data");
        _tokenEot = (delegate* unmanaged[Cdecl]<nint, int>)Export(handle, "whisper_token_eot");
        _logSet = (delegate* unmanaged[Cdecl]<delegate* unmanaged[Cdecl]<int, byte*, nint, void>, nint, void>)Export(handle, "whisper_log_set");

        Version = Utf8(_version());
        if (Version != BoundVersion)
        {
            throw new TranscriberUnavailableException(
                $"whisper.cpp at '{path}' is version {Version}; this binding matches {BoundVersion} (run scripts/build-whisper.sh).");
        }

        // whisper.cpp logs to stderr by default; route its lines through our logger instead.
        _logSet(&OnNativeLog, 0);
    }

    /// <summary>The file the library was loaded from.</summary>
    public string Path { get; }

    /// <summary>What <c>whisper_version()</c> reports.</summary>
    public string Version { get; }

    /// <summary>The shared-library file names this platform uses, dependencies first.</summary>
    public static IReadOnlyList<string> PlatformFiles =>
        OperatingSystem.IsWindows() ? WindowsFiles : OperatingSystem.IsMacOS() ? MacFiles : LinuxFiles;

    /// <summary>Where whisper.cpp's log lines go (Debug for information, Warning for warnings and errors).</summary>
    public static void SetLogger(ILogger logger) => s_nativeLogger = logger;

    /// <summary>Loads the library (once per folder per process) from <paramref name="folder"/>.</summary>
    /// <exception cref="TranscriberUnavailableException">The folder does not hold a loadable whisper.cpp 1.9.1.</exception>
    public static WhisperLibrary Load(string folder)
    {
        var full = System.IO.Path.GetFullPath(folder);
        var lazy = Loaded.GetOrAdd(full, static f => new Lazy<WhisperLibrary>(() => LoadCore(f), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch (TranscriberUnavailableException)
        {
            // Do not remember a failure: the library may be built while the process runs.
            Loaded.TryRemove(new KeyValuePair<string, Lazy<WhisperLibrary>>(full, lazy));
            throw;
        }
    }

    private static WhisperLibrary LoadCore(string folder)
    {
        var files = PlatformFiles;
        var main = System.IO.Path.Combine(folder, files[^1]);
        if (!File.Exists(main))
        {
            throw new TranscriberUnavailableException(
                $"whisper.cpp is not built: '{main}' does not exist (run scripts/build-whisper.sh, or set Speech:Whisper:LibraryPath).");
        }

        nint handle = 0;
        foreach (var file in files)
        {
            var path = System.IO.Path.Combine(folder, file);
            if (!File.Exists(path) && file != files[^1])
            {
                continue; // a static ggml build has no separate ggml libraries
            }

            try
            {
                handle = NativeLibrary.Load(path);
            }
            catch (DllNotFoundException ex)
            {
                throw new TranscriberUnavailableException($"whisper.cpp library '{path}' could not be loaded: {ex.Message}", ex);
            }
            catch (BadImageFormatException ex)
            {
                throw new TranscriberUnavailableException($"whisper.cpp library '{path}' is not a library for this platform: {ex.Message}", ex);
            }
        }

        return new WhisperLibrary(main, handle);
    }

    private static nint Export(nint handle, string name) =>
        NativeLibrary.TryGetExport(handle, name, out var address)
            ? address
            : throw new TranscriberUnavailableException($"whisper.cpp library has no '{name}': it is not version {BoundVersion}.");

    public WhisperContextParams ContextDefaultParams() => _contextDefaultParams();

    public WhisperFullParams FullDefaultParams(WhisperSamplingStrategy strategy) => _fullDefaultParams((int)strategy);

    /// <summary>Loads a model; 0 when whisper.cpp refuses the file.</summary>
    public nint InitFromFile(string modelPath, WhisperContextParams parameters)
    {
        var path = Marshal.StringToCoTaskMemUTF8(modelPath);
        try
        {
            return _initFromFileWithParams((byte*)path, parameters);
        }
        finally
        {
            Marshal.FreeCoTaskMem(path);
        }
    }

    public void Free(nint context) => _free(context);

    /// <summary>Runs the whole model on the samples; 0 on success.</summary>
    public int Full(nint context, in WhisperFullParams parameters, ReadOnlySpan<float> samples)
    {
        fixed (float* data = samples)
        {
            return _full(context, parameters, data, samples.Length);
        }
    }

    public int SegmentCount(nint context) => _fullNSegments(context);

    public long SegmentStart(nint context, int segment) => _fullGetSegmentT0(context, segment);

    public long SegmentEnd(nint context, int segment) => _fullGetSegmentT1(context, segment);

    public string SegmentText(nint context, int segment) => Utf8(_fullGetSegmentText(context, segment));

    public int TokenCount(nint context, int segment) => _fullNTokens(context, segment);

    /// <summary>The token's raw UTF-8 bytes: a token may hold part of a multi-byte character.</summary>
    public ReadOnlySpan<byte> TokenBytes(nint context, int segment, int token) =>
        MemoryMarshal.CreateReadOnlySpanFromNullTerminated(_fullGetTokenText(context, segment, token));

    public WhisperTokenData TokenData(nint context, int segment, int token) => _fullGetTokenData(context, segment, token);

    /// <summary>The end-of-text token; every special token (timestamps, language, task) has an id at or above it.</summary>
    public int EndOfTextToken(nint context) => _tokenEot(context);

    private static string Utf8(byte* text) => text is null ? string.Empty : Marshal.PtrToStringUTF8((nint)text) ?? string.Empty;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnNativeLog(int level, byte* text, nint userData)
    {
        var logger = s_nativeLogger;
        if (logger is null || text is null)
        {
            return;
        }

        var line = Utf8(text).TrimEnd();
        if (line.Length == 0)
        {
            return;
        }

        // ggml_log_level: 1 debug, 2 info, 3 warn, 4 error, 5 continuation. Nothing may escape into native code.
        try
        {
            if (level is 3 or 4)
            {
                Log.WhisperNativeWarning(logger, line);
            }
            else
            {
                Log.WhisperNativeDebug(logger, line);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A failing log sink must not take the process down from inside whisper.cpp.
        }
    }
}

/// <summary><c>enum whisper_sampling_strategy</c>.</summary>
internal enum WhisperSamplingStrategy
{
    Greedy = 0,
    BeamSearch = 1,
}
