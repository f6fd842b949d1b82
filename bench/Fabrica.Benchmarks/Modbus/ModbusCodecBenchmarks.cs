using System.Buffers;
using BenchmarkDotNet.Attributes;
using Fabrica.Protocols.Modbus;

namespace Fabrica.Benchmarks.Modbus;

/// <summary>
/// Frame and value codecs on the poll path. Goal: 0 B allocated per operation for every benchmark here
/// (docs/benchmarks.md, "Modbus").
/// </summary>
[MemoryDiagnoser]
public class ModbusCodecBenchmarks
{
    private readonly byte[] _response = new byte[ModbusLimits.MaxAduLength];
    private readonly byte[] _request = new byte[ModbusLimits.MaxAduLength];
    private readonly byte[] _scratch = new byte[ModbusLimits.MaxAduLength];
    private readonly ushort[] _registers = new ushort[ModbusLimits.MaxReadRegisters];
    private readonly IModbusDataModel _model = new ModbusMemoryDataModel().Add(1, new ModbusMemoryUnit());
    private ReadOnlySequence<byte> _responseSequence;

    [GlobalSetup]
    public void Setup()
    {
        var values = Enumerable.Range(0, ModbusLimits.MaxReadRegisters).Select(i => (ushort)(i * 257)).ToArray();
        var pdu = new byte[ModbusLimits.MaxPduLength];
        var length = ModbusPduWriter.WriteRegistersResponse(pdu, ModbusFunctionCode.ReadHoldingRegisters, values);
        ModbusFrameWriter.Write(_response, 1, 1, pdu.AsSpan(0, length));
        _responseSequence = new ReadOnlySequence<byte>(_response, 0, ModbusLimits.MbapHeaderLength + length);
        length = ModbusPduWriter.WriteReadRequest(pdu, ModbusFunctionCode.ReadHoldingRegisters, 0, ModbusLimits.MaxReadRegisters);
        ModbusFrameWriter.Write(_request, 1, 1, pdu.AsSpan(0, length));
        values.CopyTo(_registers, 0);
    }

    /// <summary>Client side of one poll: frame a 125-register response, validate it, copy the registers out.</summary>
    [Benchmark]
    public ushort DecodeResponse125Registers()
    {
        ModbusFrameReader.TryRead(_responseSequence, out var frame, out _);
        var pdu = frame.GetPduSpan(_scratch);
        ModbusResponseReader.Validate(pdu, new ModbusExpectedResponse(ModbusFunctionCode.ReadHoldingRegisters, 0, ModbusLimits.MaxReadRegisters));
        ModbusResponseReader.ReadRegisters(pdu, _registers);
        return _registers[124];
    }

    /// <summary>Client side: encode a read request with its MBAP header.</summary>
    [Benchmark]
    public int EncodeReadRequest()
    {
        var length = ModbusPduWriter.WriteReadRequest(_scratch.AsSpan(ModbusLimits.MbapHeaderLength), ModbusFunctionCode.ReadHoldingRegisters, 100, 10);
        ModbusFrameWriter.WriteHeader(_scratch, 7, 1, length);
        return length;
    }

    /// <summary>Server side: parse a read of 125 registers and write the response from the data model.</summary>
    [Benchmark]
    public int ServeRead125Registers() =>
        ModbusRequestHandler.Handle(_request.AsSpan(ModbusLimits.MbapHeaderLength, 5), 1, _model, _scratch);

    /// <summary>62 float32 CDAB values out of 124 registers, as SampleValue (per value: divide by 62).</summary>
    [Benchmark(OperationsPerInvoke = 62)]
    public double DecodeFloat32Cdab()
    {
        double sum = 0;
        for (var i = 0; i < 124; i += 2)
        {
            sum += ModbusValueCodec.Decode(_registers.AsSpan(i, 2), ModbusDataType.Float32, ModbusByteOrder.CDAB).AsDouble();
        }

        return sum;
    }

    /// <summary>31 float64 DCBA values, encode then decode (per value).</summary>
    [Benchmark(OperationsPerInvoke = 31)]
    public double RoundTripFloat64Dcba()
    {
        double sum = 0;
        for (var i = 0; i < 124; i += 4)
        {
            ModbusValueCodec.WriteDouble(_registers.AsSpan(i, 4), i * 1.5, ModbusByteOrder.DCBA);
            sum += ModbusValueCodec.ReadDouble(_registers.AsSpan(i, 4), ModbusByteOrder.DCBA);
        }

        return sum;
    }
}
