using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Fabrica.Identifiers.Native;
using Fabrica.Server.Hosting;

namespace Fabrica.Identifiers.Tests.Security;

/// <summary>The clients of the sweep: curl and dig as processes, the native protocol over a UDP and a TCP socket.</summary>
public sealed partial class NonPublicValuesSweepTests
{
    private static HttpClient Http(IdentifierNodeServer server, string token)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static async Task<string> NewTokenAsync(IdentifierNodeServer server, string role)
    {
        using var http = Http(server, (await File.ReadAllTextAsync(server.AdminToken.Path)).Trim());
        using var response = await http.PostAsJsonAsync("/api/v1/tokens", new { name = "sweep-" + role, role });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>curl with the response headers (-i), so a redirect's Location is swept too.</summary>
    private static Task<(string Request, string Response)> CurlAsync(string url, params string[] extra) =>
        RunAsync("curl", ["-sS", "-i", "-g", "--max-time", "20", .. extra, url]);

    private static async Task<(string Request, string Response)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var request = program + " " + string.Join(' ', arguments.Where(a => !a.StartsWith("Authorization", StringComparison.Ordinal)));
        Assert.True(process.ExitCode == 0, $"{request}: exit {process.ExitCode}: {await error}");
        return (request, await output + await error);
    }

    /// <summary>Some request containing <paramref name="request"/> got an answer containing <paramref name="expected"/>.</summary>
    private static void Answered(List<(string Request, string Response)> answers, string request, string expected)
    {
        var asked = answers.Where(a => a.Request.Contains(request, StringComparison.Ordinal)).ToList();
        Assert.True(asked.Any(a => a.Response.Contains(expected, StringComparison.Ordinal)),
            $"no answer to '{request}' contains '{expected}':\n" + string.Join("\n---\n", asked.Select(a => a.Request + "\n" + a.Response)));
    }

    private static byte[] ResolutionBody(int[] indexes) =>
        MessageBodies.WriteResolutionRequest(new ResolutionRequest(Pump, indexes, []));

    private static string Text(HandleMessage message) =>
        $"code={message.Header.ResponseCode} " + Encoding.UTF8.GetString(message.Body.Span);

    private static async Task<(string Request, string Response)> NativeUdpAsync(IPEndPoint server, OpFlags flags, int[] indexes)
    {
        var body = ResolutionBody(indexes);
        var response = await new HandleClient(Timeout).SendAsync(server, new MessageHeader(OpCode.Resolution, ResponseCode.Reserved, flags, 0, 0, 0, body.Length), body);
        return ($"native udp {server} {flags} [{string.Join(',', indexes)}]", Text(response));
    }

    /// <summary>One request over a fresh TCP connection; the whole bytes received are what is swept.</summary>
    private static async Task<(string Request, string Response)> NativeTcpAsync(IPEndPoint server, OpFlags flags, int[] indexes)
    {
        var body = ResolutionBody(indexes);
        var request = HandleMessage.Encode(Random.Shared.Next(1, int.MaxValue), new MessageHeader(OpCode.Resolution, ResponseCode.Reserved, flags, 0, 0, 0, body.Length), body);
        using var deadline = new CancellationTokenSource(Timeout);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server, deadline.Token);
        await socket.SendAsync(request, SocketFlags.None, deadline.Token);
        var received = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var read = await socket.ReceiveAsync(received.GetMemory(4096), SocketFlags.None, deadline.Token);
            Assert.True(read > 0, "the node closed the connection before answering");
            received.Advance(read);
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(received.WrittenMemory));
            if (HandleMessage.TryRead(ref reader, out var message))
                return ($"native tcp {server} {flags} [{string.Join(',', indexes)}]", $"code={message.Header.ResponseCode} " + Encoding.UTF8.GetString(received.WrittenSpan));
        }
    }
}
