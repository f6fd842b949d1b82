using System.Buffers;
using Fabrica.Fuzz;
using Fabrica.Protocols.Modbus;
using Fabrica.Protocols.OpcUa;
using Fabrica.Protocols.OpcUa.Transport;

namespace Fabrica.Protocols.Tests.Fuzzing;

/// <summary>
/// Parser tests in the Kestrel manner over every valid seed of the fuzz corpora (requests, responses, handshake
/// messages, OPN/MSG chunks, aborts): each proper prefix of the first frame or chunk — in one segment and cut in two
/// at every point — returns "need more data" and consumes nothing. The OPC UA Binary decoder works on a whole
/// message, so there every proper prefix of a valid encoding must be refused with BadDecodingError, nothing else.
/// </summary>
public sealed class TruncationPrefixTests
{
    public static TheoryData<string> ModbusSeeds() => Seeds("modbus", bytes => TryFirst(bytes, ModbusFrameLength));

    public static TheoryData<string> UaTcpSeeds() => Seeds("uatcp", bytes => TryFirst(bytes, UaTcpChunkLength));

    public static TheoryData<string> UaBinarySeeds() => Seeds("uabinary", bytes => OpcUaBinaryTarget.Run(bytes) > 0 ? bytes.Length : 0);

    [Theory]
    [MemberData(nameof(ModbusSeeds))]
    public void Every_prefix_of_a_modbus_frame_needs_more_and_consumes_nothing(string file)
    {
        var frame = First(file, "modbus", ModbusFrameLength);
        foreach (var prefix in Prefixes(frame))
        {
            Assert.False(ModbusFrameReader.TryRead(prefix, out _, out var consumed), $"{file}: a prefix of {prefix.Length} bytes");
            Assert.Equal(prefix.Start, consumed);
        }
    }

    [Theory]
    [MemberData(nameof(UaTcpSeeds))]
    public void Every_prefix_of_a_ua_tcp_chunk_needs_more_and_consumes_nothing(string file)
    {
        var chunk = First(file, "uatcp", UaTcpChunkLength);
        foreach (var prefix in Prefixes(chunk))
        {
            Assert.False(UaTcpChunkReader.TryRead(prefix, UaTcpChunkTarget.ReceiveBufferSize, out _, out var consumed), $"{file}: a prefix of {prefix.Length} bytes");
            Assert.Equal(prefix.Start, consumed);
        }
    }

    [Theory]
    [MemberData(nameof(UaBinarySeeds))]
    public void Every_truncation_of_a_valid_ua_binary_encoding_is_refused_with_bad_decoding_error(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Corpus("uabinary"), file));
        for (var length = 1; length < bytes.Length; length++)
        {
            var prefix = bytes.AsSpan(0, length).ToArray();
            var error = Assert.Throws<OpcUaServiceException>(() => Decode(prefix));
            Assert.Equal(StatusCodes.BadDecodingError, error.StatusCode);
        }
    }

    // The target swallows the typed exception; decode directly so the test sees it.
    private static void Decode(byte[] input)
    {
        var reader = new OpcUaBinaryReader(input.AsSpan(1), OpcUaBinaryTarget.Limits);
        switch ((OpcUaBinaryTarget.Shape)(input[0] % 8))
        {
            case OpcUaBinaryTarget.Shape.Variant: reader.ReadVariant(); break;
            case OpcUaBinaryTarget.Shape.DataValue: reader.ReadDataValue(); break;
            case OpcUaBinaryTarget.Shape.DiagnosticInfo: reader.ReadDiagnosticInfo(); break;
            case OpcUaBinaryTarget.Shape.ExtensionObject: reader.ReadExtensionObject(); break;
            case OpcUaBinaryTarget.Shape.ExpandedNodeId: reader.ReadExpandedNodeId(); break;
            case OpcUaBinaryTarget.Shape.NodeId: reader.ReadNodeId(); break;
            case OpcUaBinaryTarget.Shape.Names: reader.ReadQualifiedName(); reader.ReadLocalizedText(); break;
            default: OpcUaBinaryTarget.DecodeServiceResponse(input.AsSpan(1)); break;
        }
    }

    /// <summary>Each proper prefix in one segment, then cut in two at every inner point.</summary>
    private static IEnumerable<ReadOnlySequence<byte>> Prefixes(byte[] whole)
    {
        for (var length = 0; length < whole.Length; length++)
        {
            var prefix = whole[..length];
            yield return new ReadOnlySequence<byte>(prefix);
            for (var cut = 1; cut < length; cut++)
            {
                yield return FuzzSegments.Of(prefix, cut);
            }
        }
    }

    private static byte[] First(string file, string target, Func<byte[], int> length)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Corpus(target), file));
        return bytes[..length(bytes)];
    }

    private static int ModbusFrameLength(byte[] bytes) =>
        ModbusFrameReader.TryRead(new ReadOnlySequence<byte>(bytes), out _, out var consumed) ? (int)new ReadOnlySequence<byte>(bytes).Slice(0, consumed).Length : 0;

    private static int UaTcpChunkLength(byte[] bytes) =>
        UaTcpChunkReader.TryRead(new ReadOnlySequence<byte>(bytes), UaTcpChunkTarget.ReceiveBufferSize, out var chunk, out _) ? chunk.Size : 0;

    private static int TryFirst(byte[] bytes, Func<byte[], int> length)
    {
        try
        {
            return length(bytes);
        }
        catch (Exception ex) when (ex is ModbusProtocolException or OpcUaServiceException)
        {
            return 0;
        }
    }

    /// <summary>
    /// The hand-written seeds whose first frame is valid: the corpus also keeps malformed inputs on purpose, and afl's
    /// findings (<c>afl-*</c>, <c>crash-*</c>) may carry trailing bytes after a valid value.
    /// </summary>
    private static TheoryData<string> Seeds(string target, Func<byte[], int> validLength)
    {
        var directory = Corpus(target);
        return new(Directory.GetFiles(directory)
            .Where(f => !Path.GetFileName(f).StartsWith("afl-", StringComparison.Ordinal) && !Path.GetFileName(f).StartsWith("crash-", StringComparison.Ordinal))
            .Where(f => validLength(File.ReadAllBytes(f)) > 0)
            .Select(f => Path.GetFileName(f))
            .Order(StringComparer.Ordinal));
    }

    private static string Corpus(string target) => FuzzTargetTests.CorpusDirectory(FuzzTarget.Find(target)!);
}
