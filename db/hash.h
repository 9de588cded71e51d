/* SPDX-License-Identifier: BSD-2-Clause */
/* SHA-256 through OpenSSL libcrypto (db/ is the only code that links it). */
#ifndef OD_HASH_H
#define OD_HASH_H

#include <stddef.h>
#include <stdint.h>

void od_sha256(const void *data, size_t len, uint8_t out[32]);
/* 64 lower-case hex digits + NUL. */
const char *od_sha256_hex(const void *data, size_t len, char out[65]);

#endif
