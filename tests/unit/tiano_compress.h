/* SPDX-License-Identifier: BSD-2-Clause */
/* A small EFI 1.1 / Tiano compressor written for the tests (round trips and
 * crafted malformed streams). Greedy LZ77 with fixed, complete Huffman codes
 * in the published block format (UEFI 2.10 Appendix H). */
#ifndef OD_TIANO_COMPRESS_H
#define OD_TIANO_COMPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Returns a malloc'd stream (8-byte header + bits) and its length.
 * matches=false emits literals only. pbit: 4 (EFI 1.1) or 5 (Tiano). */
uint8_t *tc_compress(const uint8_t *in, size_t n, unsigned pbit, bool matches, size_t *out_len);

/* Literals and runs (distance-1 matches) under a one-symbol P table: a
 * stream that may also decode without error under the other PBIT, to
 * different bytes. */
uint8_t *tc_compress_runs(const uint8_t *in, size_t n, unsigned pbit, size_t *out_len);

/* A stream whose first symbol is a match (refers before the output start). */
uint8_t *tc_match_before_start(unsigned pbit, size_t *out_len);

#endif
