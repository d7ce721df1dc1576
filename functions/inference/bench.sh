#!/usr/bin/env bash
# Builds and runs the inference serving benchmark (JMH; never part of `mvn verify`). Usage: functions/inference/bench.sh
# Prints p50/p99 of the raw predictor and the whole handler on 1 and 100 rows, their ratio, the time from handler
# construction to the first response, and the first request after priming against the warm p50.
# The full JMH output goes to functions/inference/target/jmh-output.txt.
set -euo pipefail
MODULE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$MODULE/../.."
mvn -B -q -o -pl functions/inference test-compile
cd "$MODULE"
rm -rf target/bench-classes && mkdir -p target/bench-classes
# The team's own jars in ~/.m2 are rebuilt while others work: run on a private copy taken now.
rm -rf target/bench-lib && mkdir -p target/bench-lib
DEPS=""
IFS=':' read -ra JARS <<< "$(cat target/classpath.txt)"
for jar in "${JARS[@]}"; do
  case "$jar" in
    */io/modelcycle/*) cp "$jar" target/bench-lib/ && DEPS="$DEPS:target/bench-lib/$(basename "$jar")" ;;
    *) DEPS="$DEPS:$jar" ;;
  esac
done
CP="target/classes:target/test-classes$DEPS"
javac -d target/bench-classes -cp "$CP" src/jmh/java/io/modelcycle/inference/*.java
java -Dai.djl.offline=true -cp "target/bench-classes:$CP" io.modelcycle.inference.InferenceBenchmark > target/jmh-output.txt 2>&1 \
  || { tail -50 target/jmh-output.txt; exit 1; }
sed -n '/== inference serving latency/,$p' target/jmh-output.txt
