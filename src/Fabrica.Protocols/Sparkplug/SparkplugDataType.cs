namespace Fabrica.Protocols.Sparkplug;

/// <summary>
/// Sparkplug B datatypes (Sparkplug 3.0 §6.4.16, the <c>DataType</c> enum of sparkplug_b.proto). The numbers are on
/// the wire: a metric's <c>datatype</c> field carries them as uint32.
/// </summary>
public enum SparkplugDataType : uint
{
    /// <summary>No datatype on the wire: DATA and CMD metrics may omit it, their birth declared it.</summary>
    Unknown = 0,
    Int8 = 1,
    Int16 = 2,
    Int32 = 3,
    Int64 = 4,
    UInt8 = 5,
    UInt16 = 6,
    UInt32 = 7,
    UInt64 = 8,
    Float = 9,
    Double = 10,
    Boolean = 11,
    String = 12,
    /// <summary>UTC milliseconds since the Unix epoch, as uint64.</summary>
    DateTime = 13,
    Text = 14,
    Uuid = 15,
    DataSet = 16,
    Bytes = 17,
    File = 18,
    Template = 19,
    PropertySet = 20,
    PropertySetList = 21,
    Int8Array = 22,
    Int16Array = 23,
    Int32Array = 24,
    Int64Array = 25,
    UInt8Array = 26,
    UInt16Array = 27,
    UInt32Array = 28,
    UInt64Array = 29,
    FloatArray = 30,
    DoubleArray = 31,
    BooleanArray = 32,
    StringArray = 33,
    DateTimeArray = 34,
}

/// <summary>Groupings of <see cref="SparkplugDataType"/> the codec and the mapping to Fabrica need.</summary>
public static class SparkplugDataTypes
{
    public static bool IsDefined(SparkplugDataType type) => type is > SparkplugDataType.Unknown and <= SparkplugDataType.DateTimeArray;

    public static bool IsSignedInteger(SparkplugDataType type) => type is SparkplugDataType.Int8 or SparkplugDataType.Int16
        or SparkplugDataType.Int32 or SparkplugDataType.Int64;

    public static bool IsUnsignedInteger(SparkplugDataType type) => type is SparkplugDataType.UInt8 or SparkplugDataType.UInt16
        or SparkplugDataType.UInt32 or SparkplugDataType.UInt64;

    public static bool IsText(SparkplugDataType type) => type is SparkplugDataType.String or SparkplugDataType.Text or SparkplugDataType.Uuid;

    /// <summary>Bytes, File and the packed little-endian array types (22–34), all carried in <c>bytes_value</c>.</summary>
    public static bool IsBinary(SparkplugDataType type) => type is SparkplugDataType.Bytes or SparkplugDataType.File
        or (>= SparkplugDataType.Int8Array and <= SparkplugDataType.DateTimeArray);

    /// <summary>Datatypes this implementation refuses for now, with <see cref="SparkplugErrorReason.UnsupportedDataType"/>.</summary>
    public static bool IsUnsupported(SparkplugDataType type) => type is SparkplugDataType.DataSet or SparkplugDataType.Template
        or SparkplugDataType.PropertySet or SparkplugDataType.PropertySetList;

    /// <summary>Element width of the fixed-width array types, 0 for the others.</summary>
    internal static int ArrayElementSize(SparkplugDataType type) => type switch
    {
        SparkplugDataType.Int8Array or SparkplugDataType.UInt8Array => 1,
        SparkplugDataType.Int16Array or SparkplugDataType.UInt16Array => 2,
        SparkplugDataType.Int32Array or SparkplugDataType.UInt32Array or SparkplugDataType.FloatArray => 4,
        SparkplugDataType.Int64Array or SparkplugDataType.UInt64Array or SparkplugDataType.DoubleArray or SparkplugDataType.DateTimeArray => 8,
        _ => 0,
    };
}
