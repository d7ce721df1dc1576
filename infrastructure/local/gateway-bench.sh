#!/usr/bin/env bash
# Requests per second through the local HTTP gateway (single-row predictions, one client on loopback); not part of
# the unit tests. Usage: infrastructure/local/gateway-bench.sh [requests (10000)] [warmup (3000)]
set -euo pipefail
MODULE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$MODULE/../.."
mvn -B -q -o -pl infrastructure/local package -Dmaven.test.skip=true
mkdir -p "$MODULE/target/bench-classes"
CP="$MODULE/target/classes:$(cat "$MODULE/target/classpath.txt")"
javac -d "$MODULE/target/bench-classes" -cp "$CP" "$MODULE"/src/jmh/java/io/modelcycle/local/gateway/*.java
exec java -cp "$MODULE/target/bench-classes:$CP" io.modelcycle.local.gateway.GatewayBenchmark "$@"
