using System.Diagnostics.CodeAnalysis;

namespace Fabrica.Protocols.Sparkplug;

/// <summary>Why a Sparkplug topic or payload was refused.</summary>
public enum SparkplugErrorReason
{
    /// <summary>The topic is not <c>spBv1.0/{group}/{type}/{edge node}[/{device}]</c> or <c>spBv1.0/STATE/{host}</c> (Sparkplug 3.0 §4.1).</summary>
    InvalidTopic,
    /// <summary>The bytes are not a Sparkplug B protobuf payload.</summary>
    MalformedPayload,
    /// <summary>A payload, metric count or name is larger than <see cref="SparkplugLimits"/> allows.</summary>
    LimitExceeded,
    /// <summary>A metric's datatype is not one of the Sparkplug 3.0 datatypes (§6.4.16).</summary>
    UnknownDataType,
    /// <summary>A valid datatype this implementation does not decode yet (DataSet, Template, PropertySet).</summary>
    UnsupportedDataType,
    /// <summary>A metric's value field does not fit its datatype (e.g. a string for an Int32, 300 for a UInt8).</summary>
    ValueMismatch,
    /// <summary>A required part is missing: seq in a birth or data message, bdSeq, a name or datatype in a birth.</summary>
    MissingField,
    /// <summary>A field is out of its range: seq above 255, a timestamp beyond Int64, a quality code other than 0, 192, 500.</summary>
    InvalidField,
    /// <summary>A DATA or CMD metric uses an alias or name its birth did not declare.</summary>
    UnknownMetric,
    /// <summary>Two metrics of one birth share a name or an alias (§6.4.6: aliases are unique per edge node).</summary>
    DuplicateMetric,
}

/// <summary>
/// A Sparkplug topic or payload that cannot be accepted. The only exception the Sparkplug decoders and the host
/// application's <c>Receive</c> throw for input from the wire; <see cref="Exception.Message"/> says what was wrong.
/// </summary>
public sealed class SparkplugProtocolException : Exception
{
    public SparkplugProtocolException()
        : this(SparkplugErrorReason.MalformedPayload, "Malformed Sparkplug message.")
    {
    }

    public SparkplugProtocolException(string message)
        : this(SparkplugErrorReason.MalformedPayload, message)
    {
    }

    public SparkplugProtocolException(string message, Exception innerException)
        : this(SparkplugErrorReason.MalformedPayload, message, innerException)
    {
    }

    public SparkplugProtocolException(SparkplugErrorReason reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
    }

    public SparkplugErrorReason Reason { get; }

    [DoesNotReturn]
    internal static void Throw(SparkplugErrorReason reason, string message) => throw new SparkplugProtocolException(reason, message);

    [DoesNotReturn]
    internal static T Throw<T>(SparkplugErrorReason reason, string message) => throw new SparkplugProtocolException(reason, message);
}
