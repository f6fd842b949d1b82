// node-opcua server for Fabrica's OPC UA interop tests (tests/Fabrica.Protocols.Tests/OpcUa/Interop).
// Usage: node server.js <port> [--epoch <unix ms>] [--load <n>] [--load-interval <ms>]. Prints "READY <endpointUrl>" on stdout once it accepts connections.
// Address space under Objects/Fabrica (namespace 1, string NodeIds):
//   Scalars/<Type>   one read-only variable per built-in scalar type     ns=1;s=Scalars.<Type>
//   Arrays/<Type>    one read-only array per type                          ns=1;s=Arrays.<Type>
//   Writable/<Type>, WritableArrays/<Type>: the same, writable             ns=1;s=Writable.<Type>, ns=1;s=WritableArrays.<Type>
//   Matrix           a writable 2x3 Int32 matrix                           ns=1;s=Matrix
//   Structured/<Type> writable ExtensionObject (a Range), DataValue, DiagnosticInfo and Variant[]  ns=1;s=Structured.<Type>
//   Tree             Tree/Branch_00..Branch_24/Leaf_0..Leaf_5 (175 nodes), deeper and wider than one browse page
//   Counter          UInt32, incremented every 100 ms, exception-based     ns=1;s=Counter
//                    starts at (now - epoch) / 100 ms (0 without --epoch)
//   Setpoint         a writable Double                                     ns=1;s=Setpoint
//   FastCounter      UInt32, incremented every 10 ms, exception-based      ns=1;s=FastCounter
//                    starts at (now - epoch) / 10 ms, so a restarted server (same --epoch) continues past every value
//                    it sent before: the only gap is the time it was down
//   Load/Value_0000.. --load N variables (Double), each changed every --load-interval ms (default 100)  ns=1;s=Load.<i> (benchmarks)
//   Describe(count Int32, name String) -> (text String, doubled Int32)    ns=1;s=Methods.Describe
// Users: "operator" / "secret-42" (user-name tokens, plain or RSA-encrypted per the token policy); anonymous too.
"use strict";
const {
    OPCUAServer, Variant, DataType, VariantArrayType, StatusCodes, LocalizedText, QualifiedName, DataValue, DiagnosticInfo,
    coerceNodeId, makeExpandedNodeId, UserTokenPolicy, UserTokenType, MessageSecurityMode,
} = require("node-opcua");

const port = Number(process.argv[2] || 4840);
const option = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i > 0 && i + 1 < process.argv.length ? Number(process.argv[i + 1]) : fallback;
};
const epoch = option("--epoch", Date.now());
const load = option("--load", 0);
const loadInterval = option("--load-interval", 100);

const scalars = {
    Boolean: [DataType.Boolean, true],
    SByte: [DataType.SByte, -12],
    Byte: [DataType.Byte, 200],
    Int16: [DataType.Int16, -1234],
    UInt16: [DataType.UInt16, 54321],
    Int32: [DataType.Int32, -123456789],
    UInt32: [DataType.UInt32, 3123456789],
    Int64: [DataType.Int64, [0xfffffffe, 0x12345678]], // node-opcua holds 64-bit integers as [high, low]
    UInt64: [DataType.UInt64, [0x12345678, 0x9abcdef0]],
    Float: [DataType.Float, 1.5],
    Double: [DataType.Double, 3.141592653589793],
    String: [DataType.String, "Grüße aus Fabrica"],
    DateTime: [DataType.DateTime, new Date(Date.UTC(2024, 4, 17, 8, 30, 15, 250))],
    Guid: [DataType.Guid, "72962B91-FA75-4AE6-8D28-B404DC7DAF63"],
    ByteString: [DataType.ByteString, Buffer.from([0, 1, 2, 253, 254, 255])],
    XmlElement: [DataType.XmlElement, "<a b=\"c\">d</a>"],
    NodeId: [DataType.NodeId, coerceNodeId("ns=1;s=Setpoint")],
    ExpandedNodeId: [DataType.ExpandedNodeId, makeExpandedNodeId(2253, 0)],
    StatusCode: [DataType.StatusCode, StatusCodes.UncertainInitialValue],
    QualifiedName: [DataType.QualifiedName, new QualifiedName({ namespaceIndex: 1, name: "Qualified" })],
    LocalizedText: [DataType.LocalizedText, new LocalizedText({ locale: "de-DE", text: "Hallo" })],
};

const arrays = {
    Boolean: [DataType.Boolean, [true, false, true]],
    SByte: [DataType.SByte, new Int8Array([-128, 0, 127])],
    Byte: [DataType.Byte, new Uint8Array([0, 128, 255])],
    Int16: [DataType.Int16, new Int16Array([-32768, 0, 32767])],
    UInt16: [DataType.UInt16, new Uint16Array([0, 1, 65535])],
    Int32: [DataType.Int32, new Int32Array([-2147483648, 0, 2147483647])],
    UInt32: [DataType.UInt32, new Uint32Array([0, 1, 4294967295])],
    Float: [DataType.Float, new Float32Array([-1.5, 0, 2.25])],
    Double: [DataType.Double, new Float64Array([-1e300, 0, Math.PI])],
    String: [DataType.String, ["a", "", "ünïcødé"]],
    DateTime: [DataType.DateTime, [new Date(Date.UTC(2000, 0, 1)), new Date(Date.UTC(2030, 11, 31, 23, 59, 59, 999))]],
};

async function main() {
    const server = new OPCUAServer({
        port,
        host: "127.0.0.1",
        resourcePath: "/fabrica",
        buildInfo: { productName: "Fabrica interop peer", manufacturerName: "node-opcua" },
        // MinSupportedSampleRate 0: an item that asks for sampling interval 0 on a Variable whose
        // MinimumSamplingInterval is 0 (the Counter) gets every change, exception-based, without sampling.
        serverCapabilities: { maxBrowseContinuationPoints: 10, minSupportedSampleRate: 0 },
        userManager: { isValidUser: (userName, password) => userName === "operator" && password === "secret-42" },
        maxConnectionsPerEndpoint: 100,
    });
    await server.initialize();
    // A plain-text user-name policy next to the RSA-encrypted ones, on this test peer only, so that the client's
    // plain path is tested too (node-opcua's allowUnsecurePassword option is not passed through by OPCUAServer).
    for (const endpoint of server.endpoints) {
        for (const description of endpoint.endpointDescriptions()) {
            if (description.securityMode === MessageSecurityMode.None) {
                description.userIdentityTokens.push(new UserTokenPolicy({
                    policyId: "username_unsecure", tokenType: UserTokenType.UserName, securityPolicyUri: null,
                }));
            }
        }
    }
    const addressSpace = server.engine.addressSpace;
    const ns = addressSpace.getOwnNamespace();
    const root = ns.addFolder(addressSpace.rootFolder.objects, { browseName: "Fabrica", nodeId: "s=Fabrica" });

    const variable = (access) => (parent, nodeId, browseName, dataType, value, arrayType, dimensions) =>
        ns.addVariable({
            organizedBy: parent, nodeId, browseName, dataType,
            valueRank: arrayType === VariantArrayType.Matrix ? 2 : arrayType === VariantArrayType.Array ? 1 : -1,
            accessLevel: access, userAccessLevel: access,
            value: new Variant({ dataType, value, arrayType: arrayType || VariantArrayType.Scalar, dimensions }),
        });
    const readOnly = variable("CurrentRead");
    const writable = variable("CurrentRead | CurrentWrite");

    for (const [folder, make] of [["Scalars", readOnly], ["Writable", writable]]) {
        const parent = ns.addFolder(root, { browseName: folder, nodeId: `s=${folder}` });
        for (const [name, [dataType, value]] of Object.entries(scalars)) {
            make(parent, `s=${folder}.${name}`, name, dataType, value);
        }
    }
    for (const [folder, make] of [["Arrays", readOnly], ["WritableArrays", writable]]) {
        const parent = ns.addFolder(root, { browseName: folder, nodeId: `s=${folder}` });
        for (const [name, [dataType, value]] of Object.entries(arrays)) {
            make(parent, `s=${folder}.${name}`, name, dataType, value, VariantArrayType.Array);
        }
    }
    writable(root, "s=Matrix", "Matrix", DataType.Int32, new Int32Array([1, 2, 3, 4, 5, 6]), VariantArrayType.Matrix, [2, 3]);

    // The built-in types that carry other values: a Range structure (ExtensionObject), a DataValue, a DiagnosticInfo
    // and an array of Variants of mixed types, all writable.
    const structured = ns.addFolder(root, { browseName: "Structured", nodeId: "s=Structured" });
    const range = addressSpace.constructExtensionObject(coerceNodeId("i=884"), { low: -1.5, high: 99.25 });
    ns.addVariable({
        organizedBy: structured, nodeId: "s=Structured.ExtensionObject", browseName: "ExtensionObject", dataType: "Range",
        accessLevel: "CurrentRead | CurrentWrite", userAccessLevel: "CurrentRead | CurrentWrite",
        value: new Variant({ dataType: DataType.ExtensionObject, value: range }),
    });
    writable(structured, "s=Structured.DataValue", "DataValue", DataType.DataValue,
        new DataValue({ value: new Variant({ dataType: DataType.Int16, value: 7 }), statusCode: StatusCodes.UncertainLastUsableValue,
            sourceTimestamp: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)) }));
    writable(structured, "s=Structured.DiagnosticInfo", "DiagnosticInfo", DataType.DiagnosticInfo,
        new DiagnosticInfo({ symbolicId: 3, localizedText: 5, additionalInfo: "more", innerStatusCode: StatusCodes.BadTimeout }));
    writable(structured, "s=Structured.Variants", "Variants", DataType.Variant,
        [new Variant({ dataType: DataType.Int32, value: 42 }), new Variant({ dataType: DataType.String, value: "mixed" }),
            new Variant({ dataType: DataType.Boolean, value: true })], VariantArrayType.Array);
    writable(root, "s=Setpoint", "Setpoint", DataType.Double, 21.5);

    const tree = ns.addFolder(root, { browseName: "Tree", nodeId: "s=Tree" });
    for (let b = 0; b < 25; b++) {
        const name = `Branch_${String(b).padStart(2, "0")}`;
        const branch = ns.addFolder(tree, { browseName: name, nodeId: `s=Tree.${name}` });
        for (let l = 0; l < 6; l++) {
            ns.addVariable({
                componentOf: branch, browseName: `Leaf_${l}`, nodeId: `s=Tree.${name}.Leaf_${l}`,
                dataType: "Int32", value: { dataType: DataType.Int32, value: b * 100 + l },
            });
        }
    }

    // Like FastCounter below, counts from --epoch (so a restarted server continues past every value it sent).
    let counter = Math.floor((Date.now() - epoch) / 100);
    const counterNode = ns.addVariable({
        organizedBy: root, browseName: "Counter", nodeId: "s=Counter", dataType: "UInt32",
        minimumSamplingInterval: 0,
        value: { dataType: DataType.UInt32, value: counter },
    });
    setInterval(() => {
        counter += 1;
        counterNode.setValueFromSource(new Variant({ dataType: DataType.UInt32, value: counter }), StatusCodes.Good, new Date());
    }, 100);

    // setInterval never fires early, so this counter never runs ahead of (now - epoch) / 10 ms.
    let fast = Math.floor((Date.now() - epoch) / 10);
    const fastNode = ns.addVariable({
        organizedBy: root, browseName: "FastCounter", nodeId: "s=FastCounter", dataType: "UInt32",
        minimumSamplingInterval: 0,
        value: { dataType: DataType.UInt32, value: fast },
    });
    setInterval(() => {
        fast += 1;
        fastNode.setValueFromSource(new Variant({ dataType: DataType.UInt32, value: fast }), StatusCodes.Good, new Date());
    }, 10);

    if (load > 0) {
        const loadFolder = ns.addFolder(root, { browseName: "Load", nodeId: "s=Load" });
        const loadNodes = [];
        for (let i = 0; i < load; i++) {
            loadNodes.push(ns.addVariable({
                organizedBy: loadFolder, browseName: `Value_${String(i).padStart(4, "0")}`, nodeId: `s=Load.${i}`,
                dataType: "Double", minimumSamplingInterval: 0, value: { dataType: DataType.Double, value: 0 },
            }));
        }
        let tick = 0;
        setInterval(() => {
            tick += 1;
            const now = new Date();
            for (let i = 0; i < loadNodes.length; i++) {
                loadNodes[i].setValueFromSource(new Variant({ dataType: DataType.Double, value: tick + i / 10000 }), StatusCodes.Good, now);
            }
        }, loadInterval);
    }

    const methods = ns.addFolder(root, { browseName: "Methods", nodeId: "s=Methods" });
    const describe = ns.addMethod(methods, {
        browseName: "Describe", nodeId: "s=Methods.Describe",
        inputArguments: [
            { name: "count", dataType: DataType.Int32, description: "how many" },
            { name: "name", dataType: DataType.String, description: "of what" },
        ],
        outputArguments: [
            { name: "text", dataType: DataType.String },
            { name: "doubled", dataType: DataType.Int32 },
        ],
    });
    describe.bindMethod((inputArguments, _context, callback) => {
        const count = inputArguments[0].value;
        const name = inputArguments[1].value;
        callback(null, {
            statusCode: StatusCodes.Good,
            outputArguments: [
                { dataType: DataType.String, value: `${count} x ${name}` },
                { dataType: DataType.Int32, value: count * 2 },
            ],
        });
    });

    await server.start();
    process.stdout.write(`READY ${server.getEndpointUrl()}\n`);
    const stop = async () => { await server.shutdown(0); process.exit(0); };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
    process.stdin.on("end", stop); // the test closes stdin (or dies): never outlive it
    process.stdin.resume();
}

main().catch((err) => { process.stderr.write(`${err.stack || err}\n`); process.exit(1); });
