namespace Fabrica.Interop.Tests.Infrastructure;

/// <summary>Waiting for a condition that real sockets and processes make true some time later.</summary>
public static class Eventually
{
    /// <summary>
    /// Checks <paramref name="condition"/> every <paramref name="pollInterval"/> until it holds; throws a
    /// <see cref="TimeoutException"/> naming <paramref name="what"/> after <paramref name="timeout"/> (generous: the CI
    /// machine is a loaded 2-core box).
    /// </summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan timeout, TimeSpan pollInterval)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out waiting for: {what}");
            await Task.Delay(pollInterval);
        }
    }
}
