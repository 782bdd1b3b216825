using System.Runtime.InteropServices;

namespace CoachBot.Coaching.Speech.PocketSphinx;

/// <summary>
/// The parts of the PocketSphinx 5-prealpha C API (Debian's libpocketsphinx3 with libsphinxbase3) that the
/// transcriber uses. Handles are opaque pointers; strings come back as UTF-8 owned by the decoder.
/// </summary>
internal static partial class PocketSphinxNative
{
    public const string PocketSphinx = "libpocketsphinx.so.3";
    public const string SphinxBase = "libsphinxbase.so.3";

    [LibraryImport(PocketSphinx, EntryPoint = "ps_args")]
    public static partial IntPtr Args();

    [LibraryImport(SphinxBase, EntryPoint = "cmd_ln_parse_r")]
    public static partial IntPtr ParseArguments(IntPtr config, IntPtr definitions, int argc, IntPtr[] argv, int strict);

    [LibraryImport(SphinxBase, EntryPoint = "cmd_ln_free_r")]
    public static partial int FreeConfig(IntPtr config);

    [LibraryImport(PocketSphinx, EntryPoint = "ps_init")]
    public static partial IntPtr Init(IntPtr config);

    [LibraryImport(PocketSphinx, EntryPoint = "ps_free")]
    public static partial int Free(IntPtr decoder);

    [LibraryImport(PocketSphinx, EntryPoint = "ps_start_utt")]
    public static partial int StartUtterance(IntPtr decoder);

    [LibraryImport(PocketSphinx, EntryPoint = "ps_end_utt")]
    public static partial int EndUtterance(IntPtr decoder);

    [LibraryImport(PocketSphinx, EntryPoint = "ps_process_raw")]
    public static unsafe partial int ProcessRaw(IntPtr decoder, short* data, nuint samples, int noSearch, int fullUtterance);

    [LibraryImport(PocketSphinx, EntryPoint = "ps_get_in_speech")]
    public static partial byte InSpeech(IntPtr decoder);

    [LibraryImport(PocketSphinx, EntryPoint = "ps_get_logmath")]
    public static partial IntPtr LogMath(IntPtr decoder);

    [LibraryImport(PocketSphinx, EntryPoint = "ps_seg_iter")]
    public static partial IntPtr SegmentIterator(IntPtr decoder);

    [LibraryImport(PocketSphinx, EntryPoint = "ps_seg_next")]
    public static partial IntPtr SegmentNext(IntPtr segment);

    [LibraryImport(PocketSphinx, EntryPoint = "ps_seg_word")]
    public static partial IntPtr SegmentWord(IntPtr segment);

    [LibraryImport(PocketSphinx, EntryPoint = "ps_seg_frames")]
    public static partial void SegmentFrames(IntPtr segment, out int startFrame, out int endFrame);

    [LibraryImport(PocketSphinx, EntryPoint = "ps_seg_prob")]
    public static partial int SegmentProbability(IntPtr segment, out int acoustic, out int language, out int backoff);

    [LibraryImport(PocketSphinx, EntryPoint = "ps_seg_free")]
    public static partial void SegmentFree(IntPtr segment);

    [LibraryImport(SphinxBase, EntryPoint = "logmath_exp")]
    public static partial double LogMathExp(IntPtr logMath, int logValue);
}
