namespace Fabrica.Identifiers.Tests.Native;

/// <summary>
/// Golden vectors of the challenge–response exchange (RFC 3652 §3.5), produced by CNRI's own encoder, not by Fabrica:
/// HANDLE.NET 9 <c>net.handle.hdllib.Encoder.encodeChallenge</c> / <c>encodeChallengeAnswer</c> /
/// <c>encodeCreateHandleResponse</c> / <c>encodeErrorMessage</c> and <c>AbstractResponse.takeDigestOfRequest</c>
/// (src/main/java/net/handle/hdllib/ in github.com/MistraR/handle at commit 5556c45c2dfc86409bf84c90d50c2fec8c981eb9,
/// © CNRI, Handle.Net Public License), compiled with javac 17 and run by <c>CnriDriver/GenChallenge.java</c> (kept beside
/// this file). Fixed as in <see cref="CnriVectors"/>: protocol 2.11, siteInfoSerial 1, expiration 1767225600, CNRI's
/// default flags; the request is <see cref="CnriVectors.CreateHandleRequest"/>. Messages are header+body+credential.
/// </summary>
internal static class CnriChallengeVectors
{
    /// <summary>AbstractMessage.getEncodedMessageBody() of the create request: header + body, what the request digest covers.</summary>
    public const string CreateRequestHeaderAndBody = "000000640000000019000000000100006955b9000000008c0000001338382e3130302e31322f50554d502d3030303100000002000000016553f10000000151800e0000000355524c0000001a68747470733a2f2f6578616d706c652e636f6d2f70756d702f3100000000000000646553f10000000151800e0000000848535f41444d494e000000180fff0000000e302e4e412f38382e3130302e3132000000c800000000";

    /// <summary>ChallengeResponse(createRequest).requestDigest: SHA-256 (rdHashType 3, protocol ≥ 2.7).</summary>
    public const string RequestDigest = "4430dab48e5839e54c00509ddf12fbc3b8d88bc906a375d16c00ce018a6ec114";

    /// <summary>The challenge nonce the driver fixed in place of CNRI's random one: bytes 00..0f.</summary>
    public const string Nonce = "000102030405060708090a0b0c0d0e0f";

    /// <summary>ChallengeResponse to the create request: RC 402, flags 0x19800000 (RRDG set), body 03 | digest | Int4 16 | nonce.</summary>
    public const string ChallengeMessage = "000000640000019219800000000100006955b90000000035034430dab48e5839e54c00509ddf12fbc3b8d88bc906a375d16c00ce018a6ec11400000010000102030405060708090a0b0c0d0e0f00000000";

    /// <summary>
    /// The signed response, laid out as CNRI's <c>PublicKeyAuthenticationInfo.authenticate</c> lays it out
    /// (Int4-length type, Int4-length signature), with Java's own <c>Signature.getInstance("Ed25519")</c> over
    /// nonce ‖ digest using the private key whose 32-byte seed is 01 02 … 20.
    /// </summary>
    public const string SignedResponse = "0000000745643235353139000000408e6e4fc0ee359932269f1b71e4a5397a22fc6ce7fbc0f1aa65e44c020d4a515e6a9bc569f573b6a89bab92175a81edcaf86d6e6eb5229a88696bd204c8265c0c";

    /// <summary>ChallengeAnswerRequest("HS_PUBKEY", "0.NA/88.100.12", 300, SignedResponse), opcode 200.</summary>
    public const string AnswerMessage = "000000c80000000019000000000100006955b900000000760000000948535f5055424b45590000000e302e4e412f38382e3130302e31320000012c0000004f0000000745643235353139000000408e6e4fc0ee359932269f1b71e4a5397a22fc6ce7fbc0f1aa65e44c020d4a515e6a9bc569f573b6a89bab92175a81edcaf86d6e6eb5229a88696bd204c8265c0c00000000";

    /// <summary>CreateHandleResponse(handle): success, body = the handle created.</summary>
    public const string CreateSuccess = "000000640000000119000000000100006955b900000000170000001338382e3130302e31322f50554d502d3030303100000000";

    /// <summary>ErrorResponse(OC_CREATE_HANDLE, RC_AUTHENTICATION_FAILED, "authentication failed").</summary>
    public const string AuthenticationFailed = "000000640000019319000000000100006955b900000000190000001561757468656e7469636174696f6e206661696c656400000000";

    /// <summary>ErrorResponse(OC_RESOLUTION, RC_SERVER_TOO_BUSY, "server too busy"): what the rate limit answers.</summary>
    public const string ServerTooBusy = "000000010000000319000000000100006955b900000000130000000f73657276657220746f6f206275737900000000";
}
