namespace Fabrica.Identifiers.Native;

/// <summary>RFC 3652 §2.2.2.1 operation codes (values as CNRI's <c>AbstractMessage.OC_*</c>).</summary>
public enum OpCode
{
    Reserved = 0,
    Resolution = 1,
    GetSiteInfo = 2,
    CreateHandle = 100,
    DeleteHandle = 101,
    AddValue = 102,
    RemoveValue = 103,
    ModifyValue = 104,
    ListHandles = 105,
    ResponseToChallenge = 200,
    VerifyChallenge = 201,
    SessionSetup = 400,
    SessionTerminate = 401,
    SessionExchangeKey = 402,
}

/// <summary>RFC 3652 §2.2.2.2 response codes (values as CNRI's <c>AbstractMessage.RC_*</c>); the REST API reuses them.</summary>
public enum ResponseCode
{
    Reserved = 0,
    Success = 1,
    Error = 2,
    ServerTooBusy = 3,
    ProtocolError = 4,
    OperationNotSupported = 5,
    RecursionCountTooHigh = 6,
    HandleNotFound = 100,
    HandleAlreadyExists = 101,
    InvalidHandle = 102,
    ValuesNotFound = 200,
    ValueAlreadyExists = 201,
    InvalidValue = 202,
    OutOfDateSiteInfo = 300,
    ServerNotResponsible = 301,
    ServiceReferral = 302,
    PrefixReferral = 303,
    InvalidAdmin = 400,
    InsufficientPermissions = 401,
    AuthenticationNeeded = 402,
    AuthenticationFailed = 403,
    InvalidCredential = 404,
    AuthenticationTimeout = 405,
    AuthenticationError = 406,
}

/// <summary>RFC 3652 §2.2.2.3 OpFlag bits (CNRI's <c>Encoder.MSG_FLAG_*</c>).</summary>
[Flags]
public enum OpFlags : uint
{
    None = 0,
    Authoritative = 0x8000_0000,
    Certify = 0x4000_0000,
    Encrypt = 0x2000_0000,
    Recursive = 0x1000_0000,
    CacheCertify = 0x0800_0000,
    Continuous = 0x0400_0000,
    KeepAlive = 0x0200_0000,
    PublicOnly = 0x0100_0000,
    ReturnRequestDigest = 0x0080_0000,
    Overwrite = 0x0040_0000,
    MintNewSuffix = 0x0020_0000,
    DoNotRefer = 0x0010_0000,
}
