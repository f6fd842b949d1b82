using System.Globalization;
using Fabrica.Fuzz;
using SharpFuzz;

// fabrica-fuzz <target>                          afl++ mode: run under afl-fuzz after `dotnet sharpfuzz` instrumented Fabrica.Protocols.dll
// fabrica-fuzz <target> --replay <path>...       run files or folders (afl's queue/ and crashes/) through the target
// fabrica-fuzz <target> --mutate [seed] [secs]   the seeded in-process loop of the CI tests, for as long as asked
// fabrica-fuzz --list                            the targets
// See docs/fuzzing.md; fuzz/run.sh wraps the afl++ mode.
if (args.Length == 0 || args[0] is "--list" or "-h" or "--help")
{
    Console.WriteLine("usage: fabrica-fuzz <target> [--replay <path>... | --mutate [seed] [seconds]]");
    foreach (var t in FuzzTarget.All)
    {
        Console.WriteLine($"  {t.Name,-10} {t.Description}");
    }

    return args.Length == 0 ? 2 : 0;
}

var target = FuzzTarget.Find(args[0]);
if (target is null)
{
    Console.Error.WriteLine($"unknown target '{args[0]}'; try --list");
    return 2;
}

if (args.Length > 1 && args[1] == "--replay")
{
    var corpus = args.Skip(2)
        .SelectMany(p => Directory.Exists(p) ? FuzzCampaign.Load(p) : [(p, File.ReadAllBytes(p))])
        .ToArray();
    var replay = FuzzCampaign.Replay(target, corpus);
    Console.WriteLine($"{target.Name}: replayed {replay.Executions} inputs, {replay.Accepted} units accepted, no failure");
    return 0;
}

if (args.Length > 1 && args[1] == "--mutate")
{
    var seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : Environment.TickCount;
    var seconds = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 60;
    var seeds = FuzzCampaign.Load(FuzzCampaign.CorpusDirectory(target, Environment.CurrentDirectory)).Select(c => c.Bytes).ToArray();
    var run = FuzzCampaign.Mutate(target, seeds, seed, int.MaxValue, TimeSpan.FromSeconds(seconds));
    Console.WriteLine($"{target.Name}: seed {seed}, {run.Executions} inputs in {seconds} s, {run.Accepted} units accepted, no failure");
    return 0;
}

// afl++ hands each input through shared memory; SharpFuzz reports an escaped exception as a crash.
Fuzzer.OutOfProcess.Run(stream =>
{
    using var memory = new MemoryStream();
    stream.CopyTo(memory);
    target.Run(memory.GetBuffer().AsSpan(0, (int)memory.Length));
});
return 0;
