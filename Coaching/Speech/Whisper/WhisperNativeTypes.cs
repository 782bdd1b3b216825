using System.Runtime.InteropServices;

namespace CoachBot.Coaching.Speech.Whisper;

// The structs of whisper.h (whisper.cpp 1.9.1), field by field in declaration order. C `bool` is one byte, so it is
// declared as `byte`: that keeps every struct blittable, and the runtime lays it out exactly as the C compiler does
// (WhisperLayoutTests compares each offset with offsetof() from the real header). Nested anonymous structs are
// flattened: their members are all 4-byte aligned, so the offsets do not change.

/// <summary><c>struct whisper_context_params</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct WhisperContextParams
{
    public byte UseGpu;
    public byte FlashAttn;
    public int GpuDevice;
    public byte DtwTokenTimestamps;
    public int DtwAheadsPreset;
    public int DtwNTop;
    public nuint DtwAheadsNHeads;
    public nint DtwAheadsHeads;
    public nuint DtwMemSize;
}

/// <summary><c>struct whisper_token_data</c>; times are in centiseconds.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct WhisperTokenData
{
    public int Id;
    public int Tid;
    public float P;
    public float Plog;
    public float Pt;
    public float Ptsum;
    public long T0;
    public long T1;
    public long TDtw;
    public float Vlen;
}

/// <summary><c>struct whisper_full_params</c>; callbacks and strings are raw pointers.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct WhisperFullParams
{
    public int Strategy;

    public int NThreads;
    public int NMaxTextCtx;
    public int OffsetMs;
    public int DurationMs;

    public byte Translate;
    public byte NoContext;
    public byte NoTimestamps;
    public byte SingleSegment;
    public byte PrintSpecial;
    public byte PrintProgress;
    public byte PrintRealtime;
    public byte PrintTimestamps;

    public byte TokenTimestamps;
    public float TholdPt;
    public float TholdPtsum;
    public int MaxLen;
    public byte SplitOnWord;
    public int MaxTokens;

    public byte DebugMode;
    public int AudioCtx;

    public byte TdrzEnable;

    public nint SuppressRegex;

    public nint InitialPrompt;
    public byte CarryInitialPrompt;
    public nint PromptTokens;
    public int PromptNTokens;

    public nint Language;
    public byte DetectLanguage;

    public byte SuppressBlank;
    public byte SuppressNst;

    public float Temperature;
    public float MaxInitialTs;
    public float LengthPenalty;

    public float TemperatureInc;
    public float EntropyThold;
    public float LogprobThold;
    public float NoSpeechThold;

    public int GreedyBestOf;

    public int BeamSearchBeamSize;
    public float BeamSearchPatience;

    public nint NewSegmentCallback;
    public nint NewSegmentCallbackUserData;

    public nint ProgressCallback;
    public nint ProgressCallbackUserData;

    public nint EncoderBeginCallback;
    public nint EncoderBeginCallbackUserData;

    public nint AbortCallback;
    public nint AbortCallbackUserData;

    public nint LogitsFilterCallback;
    public nint LogitsFilterCallbackUserData;

    public nint GrammarRules;
    public nuint NGrammarRules;
    public nuint IStartRule;
    public float GrammarPenalty;

    public byte Vad;
    public nint VadModelPath;

    public float VadParamsThreshold;
    public int VadParamsMinSpeechDurationMs;
    public int VadParamsMinSilenceDurationMs;
    public float VadParamsMaxSpeechDurationS;
    public int VadParamsSpeechPadMs;
    public float VadParamsSamplesOverlap;
}
