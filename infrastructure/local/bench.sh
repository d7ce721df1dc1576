#!/usr/bin/env bash
# Builds and runs the ASL executor benchmark (not part of the unit tests). Usage: infrastructure/local/bench.sh [threads]
set -euo pipefail
MODULE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$MODULE/../.."
mvn -B -q -o -pl infrastructure/local package -Dmaven.test.skip=true
mkdir -p "$MODULE/target/bench-classes"
CP="$MODULE/target/classes:$(cat "$MODULE/target/classpath.txt")"
javac -d "$MODULE/target/bench-classes" -cp "$CP" "$MODULE"/src/jmh/java/io/modelcycle/local/asl/*.java
exec java -cp "$MODULE/target/bench-classes:$CP" io.modelcycle.local.asl.AslBenchmark "$@"
