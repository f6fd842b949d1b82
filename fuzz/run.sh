#!/usr/bin/env bash
# Long-running coverage-guided fuzzing of one decoder with afl++ and SharpFuzz (docs/fuzzing.md).
#
#   fuzz/run.sh <target> [seconds]   build, instrument Fabrica.Protocols.dll, run afl-fuzz from fuzz/corpus/<target>
#                                   (until Ctrl-C, or for <seconds>); findings go to artifacts/fuzz/<target>/
#   fuzz/run.sh <target> --save      merge what afl found into fuzz/corpus/<target> (afl-cmin keeps only inputs that add
#                                   coverage; crashes are kept as they are) — commit them, and CI replays them
#
# Targets: modbus, uatcp, uabinary (fabrica-fuzz --list). Needs Debian's afl++ and the SharpFuzz.CommandLine local
# tool (`dotnet tool restore`). Each afl run instruments a fresh build: never run the instrumented DLL elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:?usage: fuzz/run.sh <modbus|uatcp|uabinary> [seconds|--save]}
corpus=fuzz/corpus/$target
out=artifacts/fuzz/$target
bin=artifacts/fuzz/bin
[ -d "$corpus" ] || { echo "no corpus folder $corpus" >&2; exit 2; }
command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install afl++" >&2; exit 2; }

build() {
  rm -rf "$bin"
  dotnet tool restore >/dev/null
  dotnet publish fuzz/Fabrica.Fuzz/Fabrica.Fuzz.csproj -c Release -nologo -clp:ErrorsOnly -o "$bin" >/dev/null
  # Only the decoders are instrumented: afl's coverage map then measures protocol code, not the runtime or the target.
  dotnet sharpfuzz "$bin/Fabrica.Protocols.dll"
}

export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_AUTORESUME=1
if [ ! -t 1 ]; then export AFL_NO_UI=1; fi

if [ "${2:-}" = "--save" ]; then
  [ -d "$out/default/queue" ] || { echo "nothing found yet in $out" >&2; exit 2; }
  [ -f "$bin/fabrica-fuzz.dll" ] || build
  # afl-cmin refuses to write under /tmp.
  tmp=$out/cmin
  rm -rf "$tmp"
  AFL_FORKSRV_INIT_TMOUT=60000 afl-cmin -i "$out/default/queue" -o "$tmp/min" -t 10000 -m none -- /usr/bin/dotnet "$bin/fabrica-fuzz.dll" "$target"
  added=0
  known=$(cd "$corpus" && sha1sum -- * | cut -d' ' -f1)
  for f in "$tmp/min"/* "$out"/default/crashes/id*; do
    [ -f "$f" ] || continue
    hash=$(sha1sum <"$f" | cut -d' ' -f1)
    grep -q "$hash" <<<"$known" && continue  # a seed, or saved before
    case "$f" in */crashes/*) name="crash-${hash:0:12}" ;; *) name="afl-${hash:0:12}" ;; esac
    cp "$f" "$corpus/$name"
    known+=$'\n'$hash
    added=$((added + 1))
  done
  rm -rf "$tmp"
  echo "added $added inputs to $corpus"
  exit 0
fi

build
timeout=()
[ -n "${2:-}" ] && timeout=(-V "$2")
# .NET starts slowly: a generous fork-server start-up and per-input timeout; no memory limit (the CLR reserves a lot).
AFL_FORKSRV_INIT_TMOUT=60000 afl-fuzz "${timeout[@]}" -i "$corpus" -o "$out" -t 5000 -m none -- /usr/bin/dotnet "$bin/fabrica-fuzz.dll" "$target"
crashes=$(find "$out/default/crashes" -name 'id*' 2>/dev/null | wc -l)
echo "afl-fuzz $target: $crashes crashes in $out/default/crashes (replay: dotnet $bin/fabrica-fuzz.dll $target --replay <file>)"
