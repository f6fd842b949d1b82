using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Fabrica.Identifiers.Model;
using NSec.Cryptography;

namespace Fabrica.Identifiers.Native.Admin;

/// <summary>
/// The client side of native administration: sends one administrative request over TCP, answers the server's
/// challenge with an Ed25519 signature by the key at <paramref name="keyHandle"/>:<paramref name="keyIndex"/>
/// (RFC 3652 §3.5), and returns the server's answer to the request. Before signing it checks that the challenge's
/// digest is that of its own request, as CNRI's <c>PublicKeyAuthenticationInfo</c> does, so a server cannot have it
/// sign something else.
/// </summary>
public sealed class HandleAdminClient(string keyHandle, int keyIndex, Key key, TimeSpan timeout)
{
    public async Task<HandleMessage> SendAsync(IPEndPoint server, OpCode op, byte[] body, OpFlags flags = OpFlags.None, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var requestId = RandomNumberGenerator.GetInt32(1, int.MaxValue);
        var header = new MessageHeader(op, ResponseCode.Reserved, flags, 0, 0, 0, body.Length);
        try
        {
            using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(server, deadline.Token).ConfigureAwait(false);
            var received = new ArrayBufferWriter<byte>(1024);
            await socket.SendAsync(HandleMessage.Encode(requestId, header, body), SocketFlags.None, deadline.Token).ConfigureAwait(false);
            var response = await ReceiveAsync(socket, received, deadline.Token).ConfigureAwait(false);
            if (response.Header.ResponseCode != ResponseCode.AuthenticationNeeded)
                return response;
            var challenge = ChallengeBodies.ReadChallenge(response.Body.Span);
            var headerAndBody = new byte[MessageHeader.Size + body.Length];
            header.Write(headerAndBody);
            body.CopyTo(headerAndBody, MessageHeader.Size);
            if (challenge.DigestType != ChallengeBodies.Sha256 || !challenge.RequestDigest.Span.SequenceEqual(SHA256.HashData(headerAndBody)))
                throw new HandleProtocolException("The server's challenge is not for the request sent; refusing to sign it.");
            var signature = SignatureAlgorithm.Ed25519.Sign(key, ChallengeBodies.SignedBytes(challenge));
            var answer = ChallengeBodies.WriteAnswer(new ChallengeAnswer(ChallengeBodies.PublicKeyAuthType, keyHandle, keyIndex,
                ChallengeBodies.WriteSignedResponse(ChallengeBodies.Ed25519SignatureType, signature)));
            var answerHeader = new MessageHeader(OpCode.ResponseToChallenge, ResponseCode.Reserved, flags, 0, 0, 0, answer.Length);
            await socket.SendAsync(HandleMessage.Encode(requestId, answerHeader, answer, response.Envelope.SessionId), SocketFlags.None, deadline.Token).ConfigureAwait(false);
            return await ReceiveAsync(socket, received, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No answer from {server} within {timeout.TotalMilliseconds} ms.");
        }
        catch (SocketException e)
        {
            throw new TimeoutException($"{server} did not answer: {e.SocketErrorCode}.", e);
        }
    }

    /// <summary>
    /// Resolves with this key: without the PublicOnly flag, as CNRI's authoritative resolution with an
    /// <c>AuthenticationInfo</c>, so a node challenges for non-public values and sends them when the key may read them.
    /// </summary>
    public Task<HandleMessage> ResolveAsync(IPEndPoint server, string handle, IReadOnlyList<int>? indexes = null, IReadOnlyList<string>? types = null, CancellationToken cancellationToken = default) =>
        SendAsync(server, OpCode.Resolution, MessageBodies.WriteResolutionRequest(new ResolutionRequest(handle, indexes ?? [], types ?? [])), OpFlags.Authoritative, cancellationToken);

    public Task<HandleMessage> CreateAsync(IPEndPoint server, HandleName handle, IReadOnlyList<HandleValue> values, bool overwrite = false, CancellationToken cancellationToken = default) =>
        SendAsync(server, OpCode.CreateHandle, MessageBodies.WriteHandleValues(new HandleValuesBody(handle.ToString(), values)), overwrite ? OpFlags.Overwrite : OpFlags.None, cancellationToken);

    public Task<HandleMessage> DeleteAsync(IPEndPoint server, HandleName handle, CancellationToken cancellationToken = default) =>
        SendAsync(server, OpCode.DeleteHandle, MessageBodies.WriteHandle(handle.ToString()), OpFlags.None, cancellationToken);

    public Task<HandleMessage> AddValuesAsync(IPEndPoint server, HandleName handle, IReadOnlyList<HandleValue> values, CancellationToken cancellationToken = default) =>
        SendAsync(server, OpCode.AddValue, MessageBodies.WriteHandleValues(new HandleValuesBody(handle.ToString(), values)), OpFlags.None, cancellationToken);

    public Task<HandleMessage> ModifyValuesAsync(IPEndPoint server, HandleName handle, IReadOnlyList<HandleValue> values, CancellationToken cancellationToken = default) =>
        SendAsync(server, OpCode.ModifyValue, MessageBodies.WriteHandleValues(new HandleValuesBody(handle.ToString(), values)), OpFlags.None, cancellationToken);

    public Task<HandleMessage> RemoveValuesAsync(IPEndPoint server, HandleName handle, IReadOnlyList<int> indexes, CancellationToken cancellationToken = default) =>
        SendAsync(server, OpCode.RemoveValue, MessageBodies.WriteRemoveValues(new RemoveValuesRequest(handle.ToString(), indexes)), OpFlags.None, cancellationToken);

    private static async Task<HandleMessage> ReceiveAsync(Socket socket, ArrayBufferWriter<byte> received, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (received.WrittenCount > 0)
            {
                var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(received.WrittenMemory));
                if (HandleMessage.TryRead(ref reader, out var message))
                {
                    var rest = received.WrittenSpan[(int)reader.Consumed..].ToArray();
                    received.Clear();
                    received.Write(rest);
                    return message;
                }
            }
            var read = await socket.ReceiveAsync(received.GetMemory(4096), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
                throw new HandleProtocolException("The server closed the connection before a whole response.");
            received.Advance(read);
        }
    }
}
