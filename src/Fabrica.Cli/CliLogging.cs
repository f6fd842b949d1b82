using Microsoft.Extensions.Logging.Console;

namespace Fabrica.Cli;

/// <summary>
/// How every long-running command (`serve`, `demo`, `edge`, `sim`) logs: one line per event in UTC, or JSON with
/// `--log-format json`, always on stderr so that stdout carries only what scripts read (ready lines, query output).
/// </summary>
internal static class CliLogging
{
    public static void Configure(ILoggingBuilder logging, string format)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(LogLevel.Information);
        if (format == "json")
            logging.AddJsonConsole(o => o.UseUtcTimestamp = true);
        else
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }
}
