namespace Fabrica.Fuzz;

/// <summary>Runs one input through a decoder and re-checks what it accepted; returns how many units were accepted.</summary>
public delegate int FuzzEntryPoint(ReadOnlySpan<byte> input);

/// <summary>
/// A decoder under fuzzing. <see cref="Run"/> lets the decoder's typed protocol exception pass silently (that is
/// the decoder refusing bad input, as it must) and throws anything else: an <see cref="FuzzInvariantException"/>
/// when accepted input fails a re-check, or whatever escaped the decoder (IndexOutOfRange, OutOfMemory, …).
/// </summary>
/// <param name="Name">The name used by <c>fuzz/run.sh</c> and as the corpus folder <c>fuzz/corpus/&lt;name&gt;</c>.</param>
/// <param name="Run">The entry point the fuzzer and the tests call.</param>
/// <param name="Description">What the target decodes and re-checks, for <c>fabrica-fuzz --list</c>.</param>
public sealed record FuzzTarget(string Name, FuzzEntryPoint Run, string Description)
{
    /// <summary>Inputs longer than this are cut: every frame format here is far smaller, and afl stays fast.</summary>
    public const int MaxInputLength = 64 * 1024;

    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("modbus", ModbusFrameTarget.Run, "Modbus TCP frames (MBAP + PDU) as a server request and as a client response"),
        new("uatcp", UaTcpChunkTarget.Run, "UA TCP chunks, secure-conversation headers and message reassembly"),
        new("uabinary", OpcUaBinaryTarget.Run, "OPC UA Binary built-in types (Variant, DataValue, ExtensionObject, DiagnosticInfo…) and service responses"),
    ];

    public static FuzzTarget? Find(string name) =>
        All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));

    public override string ToString() => Name;
}

/// <summary>Accepted input that breaks a re-check: a decoder bug that did not crash.</summary>
public sealed class FuzzInvariantException : Exception
{
    public FuzzInvariantException()
    {
    }

    public FuzzInvariantException(string message)
        : base(message)
    {
    }

    public FuzzInvariantException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Throws when <paramref name="condition"/> is false.</summary>
    public static void Check([System.Diagnostics.CodeAnalysis.DoesNotReturnIf(false)] bool condition, string message)
    {
        if (!condition)
        {
            throw new FuzzInvariantException(message);
        }
    }
}
