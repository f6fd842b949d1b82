namespace Fabrica.Protocols.Modbus;

/// <summary>
/// Request coalescing: turns a list of tags into the fewest read requests. Per unit and table, tags sorted by
/// address are merged greedily while the span stays within the function's limit (§6.1–§6.4: 2000 bits,
/// 125 registers) and the hole between them within <see cref="ModbusReadPlannerOptions.MaxGap"/>. For intervals
/// sorted by start, extending the current request whenever possible is optimal: any plan must start a new request
/// no earlier than the greedy one does.
/// </summary>
public static class ModbusReadPlanner
{
    public static ModbusReadPlan Plan(IReadOnlyList<ModbusTag> tags, ModbusReadPlannerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tags);
        options ??= new ModbusReadPlannerOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxGap);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxRegistersPerRequest, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxRegistersPerRequest, ModbusLimits.MaxReadRegisters);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBitsPerRequest, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxBitsPerRequest, ModbusLimits.MaxReadBits);

        var order = new int[tags.Count];
        for (var i = 0; i < order.Length; i++)
        {
            Validate(tags[i], options);
            order[i] = i;
        }

        Array.Sort(order, (a, b) =>
        {
            var x = tags[a];
            var y = tags[b];
            var c = x.UnitId.CompareTo(y.UnitId);
            c = c != 0 ? c : x.Table.CompareTo(y.Table);
            return c != 0 ? c : x.Address.CompareTo(y.Address);
        });

        var reads = new List<ModbusPlannedRead>();
        var members = new List<int>();
        ModbusTag? first = null;
        int start = 0, end = 0;
        foreach (var index in order)
        {
            var tag = tags[index];
            var tagEnd = tag.Address + tag.Width;
            var max = tag.Table.IsBits() ? options.MaxBitsPerRequest : options.MaxRegistersPerRequest;
            if (first is not null && first.UnitId == tag.UnitId && first.Table == tag.Table
                && tag.Address <= end + options.MaxGap && Math.Max(end, tagEnd) - start <= max)
            {
                end = Math.Max(end, tagEnd);
                members.Add(index);
                continue;
            }

            if (first is not null)
            {
                reads.Add(new ModbusPlannedRead(first.UnitId, first.Table, (ushort)start, end - start, members.ToArray()));
                members.Clear();
            }

            first = tag;
            start = tag.Address;
            end = tagEnd;
            members.Add(index);
        }

        if (first is not null)
        {
            reads.Add(new ModbusPlannedRead(first.UnitId, first.Table, (ushort)start, end - start, members.ToArray()));
        }

        return new ModbusReadPlan(tags.ToArray(), reads);
    }

    private static void Validate(ModbusTag tag, ModbusReadPlannerOptions options)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (tag.Table.IsBits() && tag.Type != ModbusDataType.Bool)
        {
            throw new ArgumentException($"A {tag.Table} tag at {tag.Address} must be Bool, not {tag.Type}.", nameof(tag));
        }

        var max = tag.Table.IsBits() ? options.MaxBitsPerRequest : options.MaxRegistersPerRequest;
        if (tag.Width > max || tag.Address + tag.Width > ModbusLimits.AddressSpace)
        {
            throw new ArgumentException($"The {tag.Type} tag at {tag.Address} does not fit one request.", nameof(tag));
        }
    }
}
