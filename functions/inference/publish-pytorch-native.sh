#!/usr/bin/env bash
# Produces the PyTorch native archive the inference Lambda fetches at init, and optionally uploads it.
#
#   functions/inference/publish-pytorch-native.sh                 # copy + SHA-256 only
#   functions/inference/publish-pytorch-native.sh <bucket>        # … and upload to s3://<bucket>/runtime/
#
# The archive is DJL's own ai.djl.pytorch:pytorch-native-cpu:<pytorch.version>:linux-x86_64 jar, unchanged (Maven
# Central publishes its checksums; we pin its SHA-256). It lands in functions/inference/target/runtime/. Give the
# printed key and SHA-256 to the CDK app (pytorchNativeKey / pytorchNativeSha256); the function refuses any other bytes.
set -euo pipefail
MODULE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$MODULE/../.."
VERSION="$(sed -n 's:.*<pytorch.version>\(.*\)</pytorch.version>.*:\1:p' "$ROOT/pom.xml")"
NAME="pytorch-native-cpu-${VERSION}-linux-x86_64.jar"
mkdir -p "$MODULE/target/runtime"
mvn -B -q -f "$ROOT/pom.xml" -N dependency:copy \
  -Dartifact="ai.djl.pytorch:pytorch-native-cpu:${VERSION}:jar:linux-x86_64" \
  -DoutputDirectory="$MODULE/target/runtime" -Dmdep.overWriteIfNewer=true
SHA256="$(sha256sum "$MODULE/target/runtime/$NAME" | cut -d' ' -f1)"
echo "archive:              $MODULE/target/runtime/$NAME"
echo "PYTORCH_NATIVE_KEY    runtime/$NAME"
echo "PYTORCH_NATIVE_SHA256 $SHA256"
if [ $# -ge 1 ]; then
  aws s3 cp "$MODULE/target/runtime/$NAME" "s3://$1/runtime/$NAME"
fi
