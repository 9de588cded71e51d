#!/bin/bash -eu
# ClusterFuzzLite uses the same build as OSS-Fuzz.
exec bash "$SRC/optimus-db/oss-fuzz/build.sh"
