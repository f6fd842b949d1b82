namespace Fabrica.Protocols.OpcUa;

/// <summary>
/// A StatusCode (OPC 10000-4 §7.39, OPC 10000-6 §5.2.2.11): the top two bits give the severity
/// (00 Good, 01 Uncertain, 10 Bad), the next fourteen the sub-code, the low sixteen info bits.
/// </summary>
public readonly record struct StatusCode(uint Code)
{
    private const uint SeverityMask = 0xC000_0000;

    public bool IsGood => (Code & SeverityMask) == 0;

    public bool IsUncertain => (Code & SeverityMask) == 0x4000_0000;

    /// <summary>Bad is 10; 11 is reserved and treated as Bad as well.</summary>
    public bool IsBad => (Code & 0x8000_0000) != 0;

    /// <summary>The code without its info bits, for comparing with <see cref="StatusCodes"/>.</summary>
    public StatusCode WithoutInfoBits => new(Code & 0xFFFF_0000);

    /// <summary>Fabrica quality from the severity bits alone.</summary>
    public Quality ToQuality() => IsGood ? Quality.Good : IsUncertain ? Quality.Uncertain : Quality.Bad;

    public override string ToString() => StatusCodes.NameOf(this) is { } name ? $"{name} 0x{Code:X8}" : $"0x{Code:X8}";

    public static implicit operator StatusCode(uint code) => new(code);

    public static StatusCode FromUInt32(uint code) => new(code);
}

/// <summary>The status codes this client produces or reacts to (OPC 10000-6 Annex A, StatusCode.csv).</summary>
public static class StatusCodes
{
    public static readonly StatusCode Good = new(0);
    public static readonly StatusCode BadUnexpectedError = new(0x8001_0000);
    public static readonly StatusCode BadInternalError = new(0x8002_0000);
    public static readonly StatusCode BadCommunicationError = new(0x8005_0000);
    public static readonly StatusCode BadEncodingError = new(0x8006_0000);
    public static readonly StatusCode BadDecodingError = new(0x8007_0000);
    public static readonly StatusCode BadEncodingLimitsExceeded = new(0x8008_0000);
    public static readonly StatusCode BadUnknownResponse = new(0x8009_0000);
    public static readonly StatusCode BadTimeout = new(0x800A_0000);
    public static readonly StatusCode BadServiceUnsupported = new(0x800B_0000);
    public static readonly StatusCode BadShutdown = new(0x800C_0000);
    public static readonly StatusCode BadServerNotConnected = new(0x800D_0000);
    public static readonly StatusCode BadNothingToDo = new(0x800F_0000);
    public static readonly StatusCode BadTooManyOperations = new(0x8010_0000);
    public static readonly StatusCode BadCertificateInvalid = new(0x8012_0000);
    public static readonly StatusCode BadSecurityChecksFailed = new(0x8013_0000);
    public static readonly StatusCode BadUserAccessDenied = new(0x801F_0000);
    public static readonly StatusCode BadSecureChannelIdInvalid = new(0x8022_0000);
    public static readonly StatusCode BadSessionIdInvalid = new(0x8025_0000);
    public static readonly StatusCode BadSessionClosed = new(0x8026_0000);
    public static readonly StatusCode BadSessionNotActivated = new(0x8027_0000);
    public static readonly StatusCode BadSubscriptionIdInvalid = new(0x8028_0000);
    public static readonly StatusCode BadIdentityTokenInvalid = new(0x8020_0000);
    public static readonly StatusCode BadIdentityTokenRejected = new(0x8021_0000);
    public static readonly StatusCode BadNonceInvalid = new(0x8024_0000);
    public static readonly StatusCode BadMonitoredItemIdInvalid = new(0x8042_0000);
    public static readonly StatusCode BadNodeIdUnknown = new(0x8034_0000);
    public static readonly StatusCode BadNotWritable = new(0x803B_0000);
    public static readonly StatusCode BadTypeMismatch = new(0x8074_0000);
    public static readonly StatusCode BadTooManyPublishRequests = new(0x8078_0000);
    public static readonly StatusCode BadNoSubscription = new(0x8079_0000);
    public static readonly StatusCode BadSequenceNumberUnknown = new(0x807A_0000);
    public static readonly StatusCode BadMessageNotAvailable = new(0x807B_0000);
    public static readonly StatusCode BadTcpMessageTypeInvalid = new(0x807E_0000);
    public static readonly StatusCode BadTcpSecureChannelUnknown = new(0x807F_0000);
    public static readonly StatusCode BadTcpMessageTooLarge = new(0x8080_0000);
    public static readonly StatusCode BadTcpNotEnoughResources = new(0x8081_0000);
    public static readonly StatusCode BadTcpInternalError = new(0x8082_0000);
    public static readonly StatusCode BadTcpEndpointUrlInvalid = new(0x8083_0000);
    public static readonly StatusCode BadSecureChannelClosed = new(0x8086_0000);
    public static readonly StatusCode BadSecureChannelTokenUnknown = new(0x8087_0000);
    public static readonly StatusCode BadSequenceNumberInvalid = new(0x8088_0000);
    public static readonly StatusCode BadConnectionClosed = new(0x80AE_0000);
    public static readonly StatusCode BadRequestTooLarge = new(0x80B8_0000);
    public static readonly StatusCode BadResponseTooLarge = new(0x80B9_0000);
    public static readonly StatusCode UncertainInitialValue = new(0x4092_0000);

    private static readonly Dictionary<uint, string> Names = typeof(StatusCodes)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.FieldType == typeof(StatusCode))
        .ToDictionary(f => ((StatusCode)f.GetValue(null)!).Code, f => f.Name);

    /// <summary>The symbolic name of a code this client knows (info bits ignored), else null.</summary>
    public static string? NameOf(StatusCode code) => Names.GetValueOrDefault(code.Code & 0xFFFF_0000);
}
