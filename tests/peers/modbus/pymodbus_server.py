#!/usr/bin/python3
"""A pymodbus 3.0 (Debian python3-pymodbus) Modbus TCP server for Fabrica's interop tests.

Usage: /usr/bin/python3 pymodbus_server.py PORT
Unit 1, 300 addresses per table, zero-based (zero_mode=True); addresses >= 300 answer exception 02.
Holding registers 100 + 40*k hold typed values that pymodbus's own BinaryPayloadBuilder encoded, for
k = 0..3 = ABCD, CDAB, BADC, DCBA (see TYPED below and tests/.../Interop/PymodbusInteropTests.cs).
"""
import sys

from pymodbus.constants import Endian
from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.payload import BinaryPayloadBuilder
from pymodbus.server import StartTcpServer

SIZE = 300
ORDERS = [(Endian.Big, Endian.Big), (Endian.Big, Endian.Little), (Endian.Little, Endian.Big), (Endian.Little, Endian.Little)]


def typed_registers(byteorder, wordorder):
    b = BinaryPayloadBuilder(byteorder=byteorder, wordorder=wordorder)
    b.add_16bit_int(-1234)           # +0
    b.add_16bit_uint(54321)          # +1
    b.add_32bit_int(-123456789)      # +2
    b.add_32bit_uint(3456789012)     # +4
    b.add_32bit_float(123.456)       # +6
    b.add_64bit_float(-9876.54321)   # +8
    b.add_64bit_int(-1234567890123)  # +12
    b.add_string("FABRICA1")         # +16, 4 registers (pymodbus never swaps string bytes)
    return b.to_registers()


def main():
    port = int(sys.argv[1])
    holding = [0] * SIZE
    for k, (byteorder, wordorder) in enumerate(ORDERS):
        regs = typed_registers(byteorder, wordorder)
        holding[100 + 40 * k:100 + 40 * k + len(regs)] = regs
    unit = ModbusSlaveContext(
        di=ModbusSequentialDataBlock(0, [i % 2 == 0 for i in range(SIZE)]),
        co=ModbusSequentialDataBlock(0, [False] * SIZE),
        hr=ModbusSequentialDataBlock(0, holding),
        ir=ModbusSequentialDataBlock(0, [10 + i for i in range(SIZE)]),
        zero_mode=True,
    )
    context = ModbusServerContext(slaves={1: unit}, single=False)
    print("starting", flush=True)
    # allow_reuse_address: a restart on the same port (the dropped-connection test) must not wait out TIME_WAIT.
    StartTcpServer(context=context, address=("127.0.0.1", port), allow_reuse_address=True)


if __name__ == "__main__":
    main()
