// A modbus-serial (npm) Modbus TCP server for Fabrica's interop tests.
// Usage: node modbus_serial_server.js PORT
// Unit 1, 100 addresses per table from 0; beyond, exception 02. Input register i = 1000 + i, discrete input i = (i % 3 == 0).
"use strict";
const ModbusRTU = require("modbus-serial");

const port = Number(process.argv[2]);
const size = 100;
const coils = new Array(size).fill(false);
const holding = new Array(size).fill(0);

function check(address) {
    if (address >= size) {
        throw { modbusErrorCode: 0x02, msg: "Illegal data address" };
    }
}

const vector = {
    getCoil: (address) => { check(address); return coils[address]; },
    getDiscreteInput: (address) => { check(address); return address % 3 === 0; },
    getInputRegister: (address) => { check(address); return 1000 + address; },
    getHoldingRegister: (address) => { check(address); return holding[address]; },
    setCoil: (address, value) => { check(address); coils[address] = value; },
    setRegister: (address, value) => { check(address); holding[address] = value; },
};

const server = new ModbusRTU.ServerTCP(vector, { host: "127.0.0.1", port, unitID: 1 });
server.on("initialized", () => console.log("ready"));
server.on("socketError", (err) => console.error("socket error", err.message));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
