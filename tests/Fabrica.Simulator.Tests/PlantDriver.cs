using Fabrica.Simulator.Machines;
using Fabrica.Simulator.Runtime;

namespace Fabrica.Simulator.Tests;

/// <summary>Steps a plant by hand; a machine's setters are used under its lock, as a Modbus write would be.</summary>
internal static class PlantDriver
{
    public static Plant Create(int seed = 1, double speed = 1, int lines = 1, TimeSpan? tick = null) =>
        new(new PlantOptions { Seed = seed, Speed = speed, Lines = lines, Tick = tick ?? TimeSpan.FromMilliseconds(100) });

    public static void Run(this Plant plant, int ticks)
    {
        for (var i = 0; i < ticks; i++)
            plant.Step();
    }

    /// <summary>Steps until <paramref name="condition"/> holds, at most <paramref name="maxTicks"/>; returns the ticks taken.</summary>
    public static int RunUntil(this Plant plant, Func<bool> condition, int maxTicks)
    {
        for (var i = 0; i < maxTicks; i++)
        {
            if (condition())
                return i;
            plant.Step();
        }

        Assert.Fail($"Condition not reached within {maxTicks} ticks.");
        return maxTicks;
    }

    /// <summary>The mean of <paramref name="value"/> over <paramref name="ticks"/> steps.</summary>
    public static double Mean(this Plant plant, Func<double> value, int ticks)
    {
        var sum = 0.0;
        for (var i = 0; i < ticks; i++)
        {
            plant.Step();
            sum += value();
        }

        return sum / ticks;
    }

    public static void Set<T>(this T machine, Action<T> change) where T : Machine
    {
        lock (machine.Sync)
            change(machine);
    }
}
