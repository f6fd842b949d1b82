namespace Fabrica.Identifiers.Tests.Native;

/// <summary>
/// Golden byte vectors produced by CNRI's own encoder, not by Fabrica. Source of every vector below:
/// HANDLE.NET 9 <c>net.handle.hdllib.Encoder</c> / <c>AbstractMessage.getEncodedMessage</c> / <c>SiteInfo.getHandleHash</c>
/// (file src/main/java/net/handle/hdllib/Encoder.java and neighbours in the public copy github.com/MistraR/handle at
/// commit 5556c45c2dfc86409bf84c90d50c2fec8c981eb9, © CNRI, Handle.Net Public License), compiled stand-alone with
/// javac 17 and run by a throw-away driver (not kept in this repository) that fixed: protocol 2.11 in the message,
/// siteInfoSerial 1, expiration 1767225600 (0x6955b900), CNRI's default flags (cacheCertify, ignoreRestrictedValues),
/// handle "88.100.12/PUMP-0001". Messages are header+body+credential (CNRI's getEncodedMessage, no envelope).
/// </summary>
internal static class CnriVectors
{
    public const string Handle = "88.100.12/PUMP-0001";
    public const uint Expiration = 1767225600;

    /// <summary>ResolutionRequest(handle, types ["URL"], no indexes); recursive = true. Flags 0x19000000 = RECU|CACR|PUBL.</summary>
    public const string ResolutionRequestHex = "000000010000000019000000000100006955b900000000260000001338382e3130302e31322f50554d502d3030303100000000000000010000000355524c00000000";

    /// <summary>MessageEnvelope (CNRI defaults: 2.3 compatibility version, suggesting 2.11) for requestId 42 around <see cref="ResolutionRequestHex"/>.</summary>
    public const string ResolutionRequestEnvelope = "0203020b000000000000002a0000000000000042";

    /// <summary>ResolutionRequest(handle, no types, indexes [1, 100]); authoritative = true. Flags 0x99000000 = AUTH|RECU|CACR|PUBL.</summary>
    public const string ResolutionRequestIndexesAuthoritative = "000000010000000099000000000100006955b900000000270000001338382e3130302e31322f50554d502d303030310000000200000001000000640000000000000000";

    /// <summary>HandleValue(1, "URL", "https://example.com/pump/1", relative TTL 86400, timestamp 1700000000, perms admin r/w + public read).</summary>
    public const string ValueUrl = "000000016553f10000000151800e0000000355524c0000001a68747470733a2f2f6578616d706c652e636f6d2f70756d702f3100000000";

    /// <summary>HandleValue(100, "HS_ADMIN", AdminRecord("0.NA/88.100.12", 200, all 12 permissions), TTL 86400, ts 1700000000, perms 1110).</summary>
    public const string ValueAdmin = "000000646553f10000000151800e0000000848535f41444d494e000000180fff0000000e302e4e412f38382e3130302e3132000000c800000000";

    /// <summary>HandleValue(2, "batch", "B-7", TTL 0, ts 1700000001, perms admin read only).</summary>
    public const string ValuePrivateTtl0 = "000000026553f10100000000000800000005626174636800000003422d3700000000";

    /// <summary>Encoder.encodeAdminRecord(AdminRecord("0.NA/88.100.12", 200, every permission)).</summary>
    public const string AdminRecordAll = "0fff0000000e302e4e412f38382e3130302e3132000000c8";

    /// <summary>AdminRecord("0.NA/88.100.12", 300; add/delete handle, modify/remove/add value, modify admin, list handles) = mask 0x08f3.</summary>
    public const string AdminRecordMixed = "08f30000000e302e4e412f38382e3130302e31320000012c";

    /// <summary>ResolutionResponse(handle, [ValueUrl, ValueAdmin]), response code 1.</summary>
    public const string ResolutionResponse = "000000010000000119000000000100006955b9000000008c0000001338382e3130302e31322f50554d502d3030303100000002000000016553f10000000151800e0000000355524c0000001a68747470733a2f2f6578616d706c652e636f6d2f70756d702f3100000000000000646553f10000000151800e0000000848535f41444d494e000000180fff0000000e302e4e412f38382e3130302e3132000000c80000000000000000";

    /// <summary>ErrorResponse(OC_RESOLUTION, RC_HANDLE_NOT_FOUND, "handle not found").</summary>
    public const string ErrorHandleNotFound = "000000010000006419000000000100006955b900000000140000001068616e646c65206e6f7420666f756e6400000000";

    /// <summary>GenericRequest(Common.BLANK_HANDLE "/", OC_GET_SITE_INFO).</summary>
    public const string GetSiteInfoRequest = "000000020000000019000000000100006955b90000000005000000012f00000000";

    /// <summary>
    /// Encoder.encodeSiteInfoRecord: format 1, protocol 2.10, serial 3, primary, hash by all, empty filter,
    /// attribute desc="Fabrica root", one server id 1 at 127.0.0.1, key 010203, interfaces admin+query UDP 2641 and TCP 2641.
    /// </summary>
    public const string SiteInfoHex = "0001020a00038002000000000000000100000004646573630000000c4661627269636120726f6f7400000001000000010000000000000000000000007f0000010000000301020300000002030000000a51030100000a51";

    /// <summary>GetSiteInfoResponse(SiteInfo above).</summary>
    public const string GetSiteInfoResponse = "000000020000000119000000000100006955b900000000570001020a00038002000000000000000100000004646573630000000c4661627269636120726f6f7400000001000000010000000000000000000000007f0000010000000301020300000002030000000a51030100000a5100000000";

    /// <summary>CreateHandleRequest(handle, [ValueUrl, ValueAdmin]).</summary>
    public const string CreateHandleRequest = "000000640000000019000000000100006955b9000000008c0000001338382e3130302e31322f50554d502d3030303100000002000000016553f10000000151800e0000000355524c0000001a68747470733a2f2f6578616d706c652e636f6d2f70756d702f3100000000000000646553f10000000151800e0000000848535f41444d494e000000180fff0000000e302e4e412f38382e3130302e3132000000c80000000000000000";

    /// <summary>DeleteHandleRequest(handle).</summary>
    public const string DeleteHandleRequest = "000000650000000019000000000100006955b900000000170000001338382e3130302e31322f50554d502d3030303100000000";

    /// <summary>AddValueRequest(handle, [ValuePrivateTtl0]).</summary>
    public const string AddValueRequest = "000000660000000019000000000100006955b9000000003d0000001338382e3130302e31322f50554d502d3030303100000001000000026553f10100000000000800000005626174636800000003422d370000000000000000";

    /// <summary>ModifyValueRequest(handle, [ValueUrl]).</summary>
    public const string ModifyValueRequest = "000000680000000019000000000100006955b900000000520000001338382e3130302e31322f50554d502d3030303100000001000000016553f10000000151800e0000000355524c0000001a68747470733a2f2f6578616d706c652e636f6d2f70756d702f310000000000000000";

    /// <summary>RemoveValueRequest(handle, indexes [2, 3]).</summary>
    public const string RemoveValueRequest = "000000670000000019000000000100006955b900000000230000001338382e3130302e31322f50554d502d3030303100000002000000020000000300000000";

    /// <summary>GenericResponse(OC_DELETE_HANDLE, RC_SUCCESS): empty body.</summary>
    public const string GenericSuccessDelete = "000000650000000119000000000100006955b9000000000000000000";

    /// <summary>SiteInfo.getHandleHash(handle, HASH_TYPE_BY_PREFIX / BY_SUFFIX / BY_ALL) and determineServerNum(…, BY_ALL, 3).</summary>
    public static readonly (string Handle, int ByPrefix, int BySuffix, int ByAll, int ServerOf3)[] Hashes =
    [
        ("88.100.12/PUMP-0001", 840673331, 968425461, 771857454, 0),
        ("0.NA/88.100.12", 36223079, 840673331, 1126344380, 2),
        ("0.NA/88", 36223079, 1171460208, 915104105, 2),
        ("20.500.12345/abc", 1502227973, 891676978, 1894531649, 2),
        ("0.NA/20.500.12345", 36223079, 1502227973, 888771916, 1),
    ];

    public static byte[] Bytes(string hex) => Convert.FromHexString(hex);
}
