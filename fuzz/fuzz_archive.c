/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the archive handler (libarchive: ZIP, 7z, CAB, ISO 9660, tar, RAR, xz, bzip2) (see handler.h). */
#include "handler.h"

OD_FUZZ_HANDLER("archive")
