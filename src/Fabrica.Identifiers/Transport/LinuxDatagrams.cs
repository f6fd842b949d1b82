using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Fabrica.Identifiers.Transport;

/// <summary>
/// Batched UDP on Linux: <c>recvmmsg(2)</c> takes up to <see cref="Capacity"/> datagrams in one system call and
/// <c>sendmmsg(2)</c> sends the answers in one, where the Socket API needs a call (and a completion) per datagram.
/// The kernel structures are laid out by hand in pinned managed arrays (x86-64/arm64 LP64 layout: iovec 16 bytes,
/// msghdr 56, mmsghdr 64), so no unsafe code is needed.
/// </summary>
internal sealed class LinuxDatagrams
{
    public const int Capacity = 64;
    public const int SlotBytes = 4096;
    private const int NameBytes = 128;
    private const int IovecBytes = 16;
    private const int MmsgBytes = 64;
    private const int MsgWaitForOne = 0x10000;
    private const int MsgTrunc = 0x20;

    private readonly byte[] _receive = GC.AllocateArray<byte>(Capacity * SlotBytes, pinned: true);
    private readonly byte[] _send;
    private readonly byte[] _names = GC.AllocateArray<byte>(Capacity * NameBytes, pinned: true);
    private readonly byte[] _receiveVectors = GC.AllocateArray<byte>(Capacity * IovecBytes, pinned: true);
    private readonly byte[] _sendVectors = GC.AllocateArray<byte>(Capacity * IovecBytes, pinned: true);
    private readonly byte[] _receiveHeaders = GC.AllocateArray<byte>(Capacity * MmsgBytes, pinned: true);
    private readonly byte[] _sendHeaders = GC.AllocateArray<byte>(Capacity * MmsgBytes, pinned: true);
    private readonly int _sendSlot;
    private int _pending;

    public static bool Supported => OperatingSystem.IsLinux() && IntPtr.Size == 8 && (RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64);

    public LinuxDatagrams(int maxAnswerBytes)
    {
        _sendSlot = maxAnswerBytes;
        _send = GC.AllocateArray<byte>(Capacity * _sendSlot, pinned: true);
        for (var i = 0; i < Capacity; i++)
        {
            WriteIovec(_receiveVectors, i, Address(_receive, i * SlotBytes), SlotBytes);
            var header = _receiveHeaders.AsSpan(i * MmsgBytes, MmsgBytes);
            header.Clear();
            BinaryPrimitives.WriteInt64LittleEndian(header, Address(_names, i * NameBytes));
            BinaryPrimitives.WriteInt64LittleEndian(header[16..], Address(_receiveVectors, i * IovecBytes));
            BinaryPrimitives.WriteInt64LittleEndian(header[24..], 1);
        }
    }

    /// <summary>Waits for at least one datagram (up to the socket's receive timeout) and takes as many as are queued; -1 with the errno on failure.</summary>
    public int Receive(nint socket, out int error)
    {
        for (var i = 0; i < Capacity; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(_receiveHeaders.AsSpan(i * MmsgBytes + 8), NameBytes);
        var count = NativeMethods.recvmmsg(socket, Address(_receiveHeaders, 0), Capacity, MsgWaitForOne, 0);
        error = count < 0 ? Marshal.GetLastPInvokeError() : 0;
        _pending = 0;
        return count;
    }

    /// <summary>Datagram <paramref name="i"/> of the last receive; empty when the kernel cut it (larger than a slot).</summary>
    public ReadOnlySpan<byte> Datagram(int i)
    {
        var header = _receiveHeaders.AsSpan(i * MmsgBytes, MmsgBytes);
        var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[56..]);
        var flags = BinaryPrimitives.ReadInt32LittleEndian(header[48..]);
        return (flags & MsgTrunc) != 0 ? default : _receive.AsSpan(i * SlotBytes, Math.Min(length, SlotBytes));
    }

    /// <summary>The sender of datagram <paramref name="i"/> (allocates; for the rate limit and logs only).</summary>
    public IPEndPoint? Sender(int i)
    {
        var name = _names.AsSpan(i * NameBytes, NameBytes);
        var family = BinaryPrimitives.ReadUInt16LittleEndian(name);
        var port = BinaryPrimitives.ReadUInt16BigEndian(name[2..]);
        return family switch
        {
            2 => new IPEndPoint(new IPAddress(name.Slice(4, 4)), port),
            10 => new IPEndPoint(new IPAddress(name.Slice(8, 16)), port),
            _ => null,
        };
    }

    /// <summary>The buffer the answer to datagram <paramref name="i"/> is written into.</summary>
    public Span<byte> AnswerBuffer(int i) => _send.AsSpan(i * _sendSlot, _sendSlot);

    /// <summary>Queues the answer written for datagram <paramref name="i"/> to go back to its sender.</summary>
    public void QueueAnswer(int i, int length)
    {
        var slot = _pending++;
        WriteIovec(_sendVectors, slot, Address(_send, i * _sendSlot), length);
        var header = _sendHeaders.AsSpan(slot * MmsgBytes, MmsgBytes);
        header.Clear();
        BinaryPrimitives.WriteInt64LittleEndian(header, Address(_names, i * NameBytes));
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], BinaryPrimitives.ReadUInt32LittleEndian(_receiveHeaders.AsSpan(i * MmsgBytes + 8)));
        BinaryPrimitives.WriteInt64LittleEndian(header[16..], Address(_sendVectors, slot * IovecBytes));
        BinaryPrimitives.WriteInt64LittleEndian(header[24..], 1);
    }

    /// <summary>Sends every queued answer; a datagram the kernel refuses (unreachable client, full buffer) is skipped, as UDP allows.</summary>
    public void SendQueued(nint socket)
    {
        var sent = 0;
        while (sent < _pending)
        {
            var result = NativeMethods.sendmmsg(socket, Address(_sendHeaders, sent * MmsgBytes), (uint)(_pending - sent), 0);
            if (result > 0)
                sent += result;
            else if (Marshal.GetLastPInvokeError() == 4)
                continue; // EINTR
            else
                sent++;
        }
        _pending = 0;
    }

    private static void WriteIovec(byte[] vectors, int i, nint address, int length)
    {
        BinaryPrimitives.WriteInt64LittleEndian(vectors.AsSpan(i * IovecBytes), address);
        BinaryPrimitives.WriteInt64LittleEndian(vectors.AsSpan(i * IovecBytes + 8), length);
    }

    private static nint Address(byte[] pinned, int offset) => Marshal.UnsafeAddrOfPinnedArrayElement(pinned, offset);

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int recvmmsg(nint sockfd, nint msgvec, uint vlen, int flags, nint timeout);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int sendmmsg(nint sockfd, nint msgvec, uint vlen, int flags);
    }

    /// <summary>errno values the receive loop expects: EAGAIN/EWOULDBLOCK (receive timeout) and EINTR.</summary>
    public static bool IsTransient(int error) => error is 11 or 4;

    /// <summary>Sets SO_RCVTIMEO so a blocked receive returns now and then to notice a stop.</summary>
    public static void SetReceiveTimeout(Socket socket, TimeSpan timeout) => socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
}
