using System.Net;
using Fabrica.Identifiers.Limits;
using Fabrica.Identifiers.Model;
using Fabrica.Identifiers.Native;
using Fabrica.Identifiers.Native.Admin;
using Fabrica.Identifiers.Resolution;
using Fabrica.Identifiers.Signing;
using Fabrica.Identifiers.Store;
using NSec.Cryptography;
using static Fabrica.Identifiers.Tests.Native.CnriChallengeVectors;

namespace Fabrica.Identifiers.Tests.Native;

/// <summary>Challenge–response and "server too busy" against CNRI's bytes (see <see cref="CnriChallengeVectors"/>).</summary>
public sealed class ChallengeVectorTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "fabrica-chal-" + Guid.NewGuid().ToString("N")[..12]);
    private HandleStore _store = null!;
    private IdentifierNode _node = null!;

    public async Task InitializeAsync()
    {
        _store = await HandleStore.OpenAsync(Path.Combine(_directory, "identifiers.db"));
        _node = new IdentifierNode(_store, new IdentifierNodeOptions { Prefixes = ["88.100.12"] });
    }

    private static HandleMessage Framed(string cnriMessage, int requestId = 7, int sessionId = 0)
    {
        var message = Convert.FromHexString(cnriMessage);
        var framed = new byte[MessageEnvelope.Size + message.Length];
        (MessageEnvelope.For(requestId, message.Length) with { SessionId = sessionId }).Write(framed);
        message.CopyTo(framed, MessageEnvelope.Size);
        return HandleMessage.ReadDatagram(framed);
    }

    private static string WithoutEnvelope(byte[] message) => Convert.ToHexStringLower(message.AsSpan(MessageEnvelope.Size));

    /// <summary>The private key whose seed is 01 02 … 20, as in the Java driver.</summary>
    private static Key DriverKey() => Ed25519Keys.ImportPrivate(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    [Fact]
    public void The_challenge_to_a_create_request_is_CNRI_s_challenge_but_for_the_random_nonce()
    {
        var admin = new HandleAdministration(_node, audit: null);
        var challenge = admin.Challenge(Framed(CnriVectors.CreateHandleRequest), "127.0.0.1:1");
        var ours = WithoutEnvelope(challenge);
        // Header, digest type, digest and nonce length agree; the nonce is ours (random) where the driver fixed 00..0f.
        var nonceAt = ChallengeMessage.Length - 2 * (16 + 4);
        Assert.Equal(ChallengeMessage[..nonceAt], ours[..nonceAt]);
        Assert.Equal(ChallengeMessage.Length, ours.Length);
        Assert.NotEqual(0, MessageEnvelope.Read(challenge).SessionId);
        var parsed = ChallengeBodies.ReadChallenge(HandleMessage.ReadDatagram(challenge).Body.Span);
        Assert.Equal(RequestDigest, Convert.ToHexStringLower(parsed.RequestDigest.Span));
    }

    [Fact]
    public void CNRI_s_challenge_and_answer_decode_and_the_answer_encodes_byte_for_byte()
    {
        var challenge = ChallengeBodies.ReadChallenge(Framed(ChallengeMessage).Body.Span);
        Assert.Equal(ChallengeBodies.Sha256, challenge.DigestType);
        Assert.Equal(RequestDigest, Convert.ToHexStringLower(challenge.RequestDigest.Span));
        Assert.Equal(Nonce, Convert.ToHexStringLower(challenge.Nonce.Span));
        Assert.Equal(ChallengeMessage, WithoutEnvelope(HandleMessage.Encode(0, Framed(ChallengeMessage).Header, ChallengeBodies.WriteChallenge(challenge))));

        var answer = ChallengeBodies.ReadAnswer(Framed(AnswerMessage).Body.Span);
        Assert.Equal(("HS_PUBKEY", "0.NA/88.100.12", 300), (answer.AuthType, answer.KeyHandle, answer.KeyIndex));
        Assert.Equal(SignedResponse, Convert.ToHexStringLower(answer.SignedResponse.Span));
        Assert.Equal(AnswerMessage, WithoutEnvelope(HandleMessage.Encode(0, Framed(AnswerMessage).Header, ChallengeBodies.WriteAnswer(answer))));
    }

    [Fact]
    public void Java_s_Ed25519_signature_of_the_challenge_verifies_with_NSec_and_equals_ours()
    {
        using var key = DriverKey();
        var challenge = ChallengeBodies.ReadChallenge(Framed(ChallengeMessage).Body.Span);
        var (type, javaSignature) = ChallengeBodies.ReadSignedResponse(Convert.FromHexString(SignedResponse));
        Assert.Equal("Ed25519", type);
        Assert.True(SignatureAlgorithm.Ed25519.Verify(key.PublicKey, ChallengeBodies.SignedBytes(challenge), javaSignature));
        // Ed25519 is deterministic: the same key signs the same bytes identically in Java and in NSec.
        Assert.Equal(SignedResponse, Convert.ToHexStringLower(ChallengeBodies.WriteSignedResponse("Ed25519",
            SignatureAlgorithm.Ed25519.Sign(key, ChallengeBodies.SignedBytes(challenge)))));
    }

    [Fact]
    public void The_digest_covers_header_and_body_as_CNRI_s_getEncodedMessageBody()
    {
        Assert.Equal(CreateRequestHeaderAndBody, CnriVectors.CreateHandleRequest[..^8]);
        Assert.Equal(RequestDigest, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Convert.FromHexString(CreateRequestHeaderAndBody))));
    }

    [Fact]
    public async Task A_client_over_its_rate_gets_CNRI_s_server_too_busy_message()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var processor = new HandleRequestProcessor(_node, () => new SiteInfo(1, []), new HandleProcessorOptions
        {
            RateLimiter = new ClientRateLimiter(new RateLimitOptions { PerSecond = 1, Burst = 1 }, time),
        });
        var client = new IPEndPoint(IPAddress.Loopback, 5000);
        var request = Framed(CnriVectors.ResolutionRequestHex);
        var first = await processor.RespondAsync(request, client);
        Assert.NotEqual(ResponseCode.ServerTooBusy, HandleMessage.ReadDatagram(first).Header.ResponseCode);
        var refused = await processor.RespondAsync(request, client);
        Assert.Equal(ServerTooBusy, WithoutEnvelope(refused));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.NotEqual(ResponseCode.ServerTooBusy, HandleMessage.ReadDatagram(await processor.RespondAsync(request, client)).Header.ResponseCode);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
