using System.Diagnostics.CodeAnalysis;

namespace Fabrica.Protocols.Modbus;

/// <summary>What was wrong with bytes received from a peer; also the tag of the "discarded" counter.</summary>
public enum ModbusProtocolError
{
    /// <summary>Messaging on TCP/IP §3.1.3: the protocol identifier of Modbus is 0.</summary>
    InvalidProtocolId,

    /// <summary>The MBAP length is below 2 or above 254, or disagrees with the PDU it frames.</summary>
    InvalidLength,

    /// <summary>A response whose transaction identifier matches no outstanding request (unsolicited or late).</summary>
    UnknownTransaction,

    /// <summary>A response from another unit than the request was sent to.</summary>
    UnexpectedUnit,

    /// <summary>A response for another function than the request's.</summary>
    FunctionMismatch,

    /// <summary>A PDU shorter than its function (and byte count) requires.</summary>
    TruncatedPdu,

    /// <summary>A byte count that disagrees with the requested quantity.</summary>
    ByteCountMismatch,

    /// <summary>A write response that does not echo the request's address, quantity or value.</summary>
    EchoMismatch,
}

/// <summary>
/// Malformed Modbus input: the one exception type the Modbus parsers throw. <see cref="FrameLength"/>
/// is the whole frame's length when the header could still be trusted (so a reader may skip just that frame), else 0.
/// </summary>
public sealed class ModbusProtocolException : Exception
{
    public ModbusProtocolException()
        : this(ModbusProtocolError.InvalidLength, "Malformed Modbus frame.")
    {
    }

    public ModbusProtocolException(string message)
        : this(ModbusProtocolError.InvalidLength, message)
    {
    }

    public ModbusProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ModbusProtocolException(ModbusProtocolError error, string message, int frameLength = 0)
        : base(message)
    {
        Error = error;
        FrameLength = frameLength;
    }

    public ModbusProtocolError Error { get; }

    public int FrameLength { get; }

    [DoesNotReturn]
    internal static void Throw(ModbusProtocolError error, string message, int frameLength = 0) =>
        throw new ModbusProtocolException(error, message, frameLength);
}
