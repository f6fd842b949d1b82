// A modbus-serial (npm) Modbus TCP client that drives Fabrica's server for the interop tests.
// Usage: node modbus_serial_client.js PORT
// Prints one JSON line per step: {"step": name, "data": ...} or {"step": name, "error": modbusCode-or-message}.
"use strict";
const ModbusRTU = require("modbus-serial");

async function step(name, action) {
    try {
        const result = await action();
        const data = result && result.data !== undefined ? result.data : null;
        console.log(JSON.stringify({ step: name, data: data }));
    } catch (err) {
        console.log(JSON.stringify({ step: name, error: err.modbusCode !== undefined ? err.modbusCode : String(err.message || err) }));
    }
}

async function main() {
    const client = new ModbusRTU();
    await client.connectTCP("127.0.0.1", { port: Number(process.argv[2]) });
    client.setID(1);
    client.setTimeout(5000);
    await step("fc05", () => client.writeCoil(3, true));
    await step("fc15", () => client.writeCoils(20, [true, true, false, true]));
    await step("fc06", () => client.writeRegister(0, 0xabcd));
    await step("fc16", () => client.writeRegisters(1, [1, 2, 3]));
    await step("fc01", () => client.readCoils(0, 4));
    await step("fc01b", () => client.readCoils(20, 4));
    await step("fc02", () => client.readDiscreteInputs(5, 3));
    await step("fc03", () => client.readHoldingRegisters(0, 4));
    await step("fc04", () => client.readInputRegisters(10, 3));
    await step("float-cdab", () => client.readHoldingRegisters(40, 2));
    await step("out-of-map", () => client.readHoldingRegisters(99, 2));
    client.close(() => {});
}

main().catch((err) => { console.error(err); process.exit(1); });
