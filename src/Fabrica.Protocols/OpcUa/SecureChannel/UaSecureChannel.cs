using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Sockets;
using Fabrica.Protocols.OpcUa.Services;
using Fabrica.Protocols.OpcUa.Transport;

namespace Fabrica.Protocols.OpcUa.SecureChannel;

/// <summary>
/// A UA TCP connection with its secure channel (OPC 10000-6 §6.7 and §7.1): Hello/Acknowledge, OpenSecureChannel,
/// requests split into chunks and responses reassembled and matched by RequestId, token renewal at 75 % of the
/// token lifetime, CloseSecureChannel. One read loop owns the receive side; sends are serialised so that sequence
/// numbers go out in order. When the connection ends for any reason, every waiting request fails and
/// <see cref="Completion"/> completes (faulted unless closed by <see cref="CloseAsync"/>).
/// </summary>
public sealed partial class UaSecureChannel : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly SecureChannelOptions _options;
    private readonly ChannelSecurityPolicy _policy;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<uint, PendingRequest> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly MessageAssembler _assembler;
    private readonly TransportLimits _limits;
    private SequenceNumbers _sendSequence;
    private SequenceNumbers _receiveSequence;
    private uint _channelId;
    private ChannelSecurityToken? _token;
    private ChannelSecurityToken? _previousToken;
    private int _lastRequestId;
    private ITimer? _renewTimer;
    private Task _readLoop = Task.CompletedTask;
    private int _closing;

    private UaSecureChannel(Socket socket, Stream stream, SecureChannelOptions options, TransportLimits limits, string endpointUrl)
    {
        _socket = socket;
        _input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: Math.Max(limits.ReceiveBufferSize, 4096)));
        _output = PipeWriter.Create(stream);
        _options = options;
        _policy = options.SecurityPolicy;
        _time = options.TimeProvider;
        _limits = limits;
        _assembler = new MessageAssembler(limits.MaxResponseMessageSize, limits.MaxResponseChunkCount);
        EndpointUrl = endpointUrl;
    }

    public string EndpointUrl { get; }

    public TransportLimits Limits => _limits;

    public uint ChannelId => _channelId;

    public ChannelSecurityToken? Token => _token;

    /// <summary>Completes when the connection has ended: successfully after <see cref="CloseAsync"/>, faulted otherwise.</summary>
    public Task Completion => _completion.Task;

    public int PendingRequestCount => _pending.Count;

    /// <summary>
    /// Connects to <paramref name="host"/>:<paramref name="port"/>, exchanges Hello/Acknowledge announcing
    /// <paramref name="endpointUrl"/>, and opens the secure channel.
    /// </summary>
    public static async Task<UaSecureChannel> OpenAsync(string host, int port, string endpointUrl, SecureChannelOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ReceiveBufferSize < UaTcpHeader.MinBufferSize || options.SendBufferSize < UaTcpHeader.MinBufferSize)
        {
            throw new ArgumentException("buffer sizes are at least 8192 bytes (OPC 10000-6 §7.1.2.3)", nameof(options));
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        UaSecureChannel? channel = null;
        try
        {
            using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            connectTimeout.CancelAfter(options.ConnectTimeout);
            try
            {
                await socket.ConnectAsync(host, port, connectTimeout.Token).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new OpcUaServiceException(StatusCodes.BadCommunicationError, $"cannot connect to {host}:{port}: {e.SocketErrorCode}", e);
            }
            var stream = new NetworkStream(socket, ownsSocket: true);
            var hello = new HelloMessage(UaTcpHeader.ProtocolVersion, (uint)options.ReceiveBufferSize, (uint)options.SendBufferSize,
                (uint)options.MaxMessageSize, (uint)options.MaxChunkCount, endpointUrl);
            var limits = await HandshakeAsync(stream, hello, connectTimeout.Token).ConfigureAwait(false);
            channel = new UaSecureChannel(socket, stream, options, limits, endpointUrl);
            channel._readLoop = channel.ReadLoopAsync();
            await channel.OpenOrRenewAsync(SecurityTokenRequestType.Issue, cancellationToken).ConfigureAwait(false);
            return channel;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await DisposeQuietly(channel, socket).ConfigureAwait(false);
            throw new OpcUaServiceException(StatusCodes.BadTimeout, $"no answer from {host}:{port} within {options.ConnectTimeout}");
        }
        catch
        {
            await DisposeQuietly(channel, socket).ConfigureAwait(false);
            throw;
        }
    }

    private static async ValueTask DisposeQuietly(UaSecureChannel? channel, Socket socket)
    {
        if (channel is not null)
        {
            await channel.DisposeAsync().ConfigureAwait(false);
        }
        socket.Dispose();
    }

    /// <summary>Sends Hello and reads the Acknowledge or Error (§7.1.2.3–§7.1.2.5) before the pipes exist.</summary>
    private static async Task<TransportLimits> HandshakeAsync(Stream stream, HelloMessage hello, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(hello.Encode(), cancellationToken).ConfigureAwait(false);
        var buffer = new byte[UaTcpHeader.MinBufferSize];
        var filled = 0;
        while (true)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new OpcUaServiceException(StatusCodes.BadConnectionClosed, "server closed the connection after Hello");
            }
            filled += read;
            var sequence = new System.Buffers.ReadOnlySequence<byte>(buffer, 0, filled);
            if (!UaTcpChunkReader.TryRead(sequence, buffer.Length, out var chunk, out _))
            {
                continue;
            }
            if (chunk.MessageType == UaTcpMessageType.Error)
            {
                throw ErrorMessage.Decode(chunk.Body).ToException();
            }
            if (chunk.MessageType != UaTcpMessageType.Acknowledge)
            {
                throw new OpcUaServiceException(StatusCodes.BadTcpMessageTypeInvalid, $"expected Acknowledge, got {chunk.MessageType}");
            }
            if (chunk.Size != filled)
            {
                // The server may not speak before our OpenSecureChannel request; anything after ACK is a protocol error.
                throw new OpcUaServiceException(StatusCodes.BadTcpMessageTypeInvalid, "unexpected bytes after Acknowledge");
            }
            return TransportLimits.Negotiate(hello, AcknowledgeMessage.Decode(chunk.Body));
        }
    }

    /// <summary>Sends a service request and waits for its response (or a fault, a timeout, the channel's end).</summary>
    internal Task<TResponse> SendRequestAsync<TResponse>(IServiceRequest request, NodeId authenticationToken, CancellationToken cancellationToken = default)
        where TResponse : IServiceResponse<TResponse> =>
        SendRequestAsync<TResponse>(request, authenticationToken, _options.RequestTimeout, cancellationToken);

    internal async Task<TResponse> SendRequestAsync<TResponse>(IServiceRequest request, NodeId authenticationToken, TimeSpan timeout, CancellationToken cancellationToken, Action<TResponse>? onReceived = null)
        where TResponse : IServiceResponse<TResponse>
    {
        var messageType = request is OpenSecureChannelRequest ? UaTcpMessageType.OpenSecureChannel : UaTcpMessageType.Message;
        var requestId = NextRequestId();
        var pending = new PendingRequest<TResponse>(onReceived);
        if (_completion.Task.IsCompleted)
        {
            throw Closed();
        }
        _pending[requestId] = pending;
        try
        {
            await SendMessageAsync(messageType, requestId, request, authenticationToken, timeout, cancellationToken).ConfigureAwait(false);
            return await pending.Task.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new OpcUaServiceException(StatusCodes.BadTimeout, $"no response to {request.GetType().Name} within {timeout}");
        }
        finally
        {
            _pending.TryRemove(requestId, out _);
        }
    }

    private uint NextRequestId()
    {
        var id = (uint)Interlocked.Increment(ref _lastRequestId);
        return id != 0 ? id : (uint)Interlocked.Increment(ref _lastRequestId);
    }

    private OpcUaServiceException Closed() =>
        _completion.Task.Exception?.InnerException as OpcUaServiceException
        ?? new OpcUaServiceException(StatusCodes.BadSecureChannelClosed, "the secure channel is closed");

    /// <summary>Sends CloseSecureChannel and closes the connection (OPC 10000-4 §5.5.3). Never throws.</summary>
    public async ValueTask CloseAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            await DisposeAsync().ConfigureAwait(false);
            return;
        }
        try
        {
            if (!_completion.Task.IsCompleted && _token is not null)
            {
                await SendMessageAsync(UaTcpMessageType.CloseSecureChannel, NextRequestId(), new CloseSecureChannelRequest(), NodeId.Null, _options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OpcUaServiceException or IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // Closing anyway: the server also ends the channel when the socket goes.
        }
        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Drops the TCP connection without CloseSecureChannel, as a network failure would.</summary>
    public void Abort() => _socket.Close(0);

    public async ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _closing, 1);
        _renewTimer?.Dispose();
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }
        _socket.Dispose();
        try
        {
            await _readLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        await _output.CompleteAsync().ConfigureAwait(false);
        _completion.TrySetResult();
    }
}
