using Fabrica.Protocols.Modbus;
using Fabrica.Simulator.Modbus;
using Fabrica.Simulator.Runtime;

namespace Fabrica.Simulator.Tests.Modbus;

/// <summary>Other issues' tests rely on docs/simulator.md: it must print exactly the maps the simulator serves.</summary>
public sealed class RegisterMapDocumentationTests
{
    [Fact]
    public void Docs_simulator_md_shows_every_register_map_as_the_simulator_serves_it()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "simulator.md")).ReplaceLineEndings("\n");
        foreach (var machine in new Plant().Machines)
        {
            var table = RegisterMapDocument.ToMarkdown(MachineRegisterMaps.For(machine));
            Assert.True(docs.Contains(table, StringComparison.Ordinal),
                $"docs/simulator.md is out of date for {machine.Id}; paste the output of `fabrica sim --print-map`:\n{table}");
        }
    }

    [Fact]
    public void Every_map_has_the_common_block_and_no_point_straddles_the_end_of_a_request()
    {
        foreach (var machine in new Plant().Machines)
        {
            var map = MachineRegisterMaps.For(machine);
            Assert.Equal(0, map["tick_count"].Address);
            Assert.Equal(ModbusTable.InputRegisters, map["tick_count"].Table);
            Assert.All(map.Points, p => Assert.True(p.Address + p.Width <= 125, p.Name)); // one read covers a table
            Assert.All(map.Points.Where(p => p.Writable && p.Table == ModbusTable.HoldingRegisters), p => Assert.Equal(1, p.Width));
            Assert.Equal(map.Points.Count, map.Points.Select(p => p.Name + p.Table).Distinct().Count());
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Fabrica.slnx")))
                return directory.FullName;
        }

        throw new InvalidOperationException("Fabrica.slnx not found above the test binaries.");
    }
}
