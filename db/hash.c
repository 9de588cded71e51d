/* SPDX-License-Identifier: BSD-2-Clause */
#include "hash.h"

#include <openssl/evp.h>

void od_sha256(const void *data, size_t len, uint8_t out[32])
{
	unsigned int n = 32;
	EVP_Digest(data, len, out, &n, EVP_sha256(), NULL);
}

const char *od_sha256_hex(const void *data, size_t len, char out[65])
{
	static const char hx[] = "0123456789abcdef";
	uint8_t d[32];
	od_sha256(data, len, d);
	for (int i = 0; i < 32; i++) {
		out[2 * i] = hx[d[i] >> 4];
		out[2 * i + 1] = hx[d[i] & 15];
	}
	out[64] = 0;
	return out;
}
