#!/bin/bash -eu
# SPDX-License-Identifier: BSD-2-Clause
# ClusterFuzzLite uses the same build as OSS-Fuzz.
exec bash "$SRC/optimus-db/oss-fuzz/build.sh"
