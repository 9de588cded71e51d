/* SPDX-License-Identifier: BSD-2-Clause */
/* Sharing formats: repository source records (readers/record.c), the text
 * field rules shared by add, contribute and import, and the bundle reader's
 * range and duplicate checks (readers/bundle.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/vendor.h"
#include "record.h"

#define SHA "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static int parse(const char *text, od_record *r, od_err *e)
{
	od_err_clear(e);
	return od_record_parse(od_span_make((const uint8_t *)text, strlen(text), 0), r, e);
}

Test(record, minimal_and_full)
{
	static od_record r;
	od_err e;
	cr_assert_eq(parse("{\"image_sha256\":\"" SHA "\",\"obtained\":\"update\"}", &r, &e), OD_OK, "%s", e.msg);
	cr_assert_str_eq(r.src.sha256, SHA);
	cr_assert_eq(parse("{\n \"added\": \"2026-12-01T10:00:00Z\", \"bios_version\": \"1.7.0\", \"container\": \"u.exe\","
			   " \"container_path\": \"u.exe > FV 0\", \"container_sha256\": \"" SHA "\", \"image_sha256\": \"" SHA "\","
			   " \"model\": \"XPS \\\"15\\\"\", \"obtained\": \"host\", \"offset\": 4096, \"subsystem\": \"1028:07be\","
			   " \"optimus_db_version\": \"0.1.0\", \"later\": \"x\", \"count\": 3 }\n",
			   &r, &e),
		     OD_OK, "%s", e.msg);
	cr_assert_eq(r.src.offset, 4096);
	cr_assert_str_eq(r.src.model, "XPS \"15\"");
	cr_assert(r.src.has_subsys && r.src.sub_vendor == 0x1028 && r.src.sub_device == 0x07be);
}

Test(record, unicode_escapes)
{
	static od_record r;
	od_err e;
	cr_assert_eq(parse("{\"image_sha256\":\"" SHA "\",\"obtained\":\"rom\",\"model\":\"Pr\\u00e9 \\ud83d\\ude00\"}", &r, &e),
		     OD_OK, "%s", e.msg);
	cr_assert_str_eq(r.src.model, "Pr\xc3\xa9 \xf0\x9f\x98\x80");
	cr_assert_neq(parse("{\"image_sha256\":\"" SHA "\",\"obtained\":\"rom\",\"model\":\"\\ud83d\"}", &r, &e), OD_OK);
	cr_assert_neq(parse("{\"image_sha256\":\"" SHA "\",\"obtained\":\"rom\",\"model\":\"\\ude00\"}", &r, &e), OD_OK);
	cr_assert_neq(parse("{\"image_sha256\":\"" SHA "\",\"obtained\":\"rom\",\"model\":\"\\u0000\"}", &r, &e), OD_OK);
}

Test(record, refused)
{
	static od_record r;
	od_err e;
	static const char *const bad[] = {
		"",
		"[]",
		"{\"obtained\":\"update\"}",                                   /* no image */
		"{\"image_sha256\":\"" SHA "\"}",                              /* no obtained */
		"{\"image_sha256\":\"" SHA "\",\"obtained\":\"magic\"}",       /* not a kind */
		"{\"image_sha256\":\"" SHA "\",\"obtained\":\"rom\",\"obtained\":\"rom\"}", /* twice */
		"{\"image_sha256\":\"" SHA "\",\"obtained\":\"rom\",\"x\":{}}",            /* nested */
		"{\"image_sha256\":\"" SHA "\",\"obtained\":\"rom\",\"x\":true}",
		"{\"image_sha256\":\"" SHA "\",\"obtained\":\"rom\",\"x\":null}",
		"{\"image_sha256\":\"" SHA "\",\"obtained\":\"rom\"} x",       /* after the object */
		"{\"image_sha256\":\"" SHA "\",\"obtained\":\"rom\",}",        /* trailing comma */
		"{\"image_sha256\":\"" SHA "\",\"obtained\":\"rom\"",          /* cut */
		"{\"image_sha256\":\"" SHA "\",\"obtained\":\"rom\",\"offset\":01}",
		"{\"image_sha256\":\"" SHA "\",\"obtained\":\"rom\",\"offset\":-1}",
		"{\"image_sha256\":\"" SHA "\",\"obtained\":\"rom\",\"offset\":1.5}",
		"{\"image_sha256\":\"" SHA "\",\"obtained\":\"rom\",\"offset\":18446744073709551616}",
		"{\"image_sha256\":\"" SHA "\",\"obtained\":\"rom\",\"model\":\"a\\u001b[2J\"}", /* control */
		"{\"image_sha256\":\"" SHA "\",\"obtained\":\"rom\",\"model\":\"a\\nb\"}",
		"{\"image_sha256\":\"" SHA "\",\"obtained\":\"rom\",\"model\":\"a\xc2\x9b" "b\"}",  /* C1 CSI */
		"{\"image_sha256\":\"" SHA "\",\"obtained\":\"rom\",\"model\":\"\xc0\xaf\"}",      /* overlong */
		"{\"image_sha256\":\"" SHA "\",\"obtained\":\"rom\",\"model\":\"a\tb\"}",          /* raw control */
		"{\"image_sha256\":\"0123\",\"obtained\":\"rom\"}",
		"{\"image_sha256\":\"" SHA "\",\"obtained\":\"rom\",\"container_sha256\":\"zz\"}",
		"{\"image_sha256\":\"" SHA "\",\"obtained\":\"rom\",\"added\":\"yesterday\"}",
		"{\"image_sha256\":\"" SHA "\",\"obtained\":\"rom\",\"subsystem\":\"10de\"}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_neq(parse(bad[i], &r, &e), OD_OK, "accepted #%zu: %s", i, bad[i]);
}

Test(record, limits_are_the_shared_ones)
{
	static od_record r;
	static char text[2048], m[300];
	od_err e;
	memset(m, 'M', OD_FIELD_MODEL_MAX);
	m[OD_FIELD_MODEL_MAX] = 0;
	snprintf(text, sizeof(text), "{\"image_sha256\":\"" SHA "\",\"obtained\":\"rom\",\"model\":\"%s\"}", m);
	cr_assert_eq(parse(text, &r, &e), OD_OK, "%s", e.msg);
	strcat(m, "X");
	snprintf(text, sizeof(text), "{\"image_sha256\":\"" SHA "\",\"obtained\":\"rom\",\"model\":\"%s\"}", m);
	cr_assert_neq(parse(text, &r, &e), OD_OK);
}

Test(record, write_is_canonical_and_reads_back)
{
	static od_record a, b;
	static char t1[OD_RECORD_MAX], t2[OD_RECORD_MAX];
	od_err e;
	cr_assert_eq(parse("{\"subsystem\":\"1028:07be\",\"offset\":7,\"obtained\":\"spi\",\"model\":\"a\\\\b \\\"c\\\"\","
			   "\"image_sha256\":\"" SHA "\"}", &a, &e), OD_OK, "%s", e.msg);
	size_t n = od_record_write(&a, t1, sizeof(t1));
	cr_assert_gt(n, 0);
	cr_assert_str_eq(t1, "{\n  \"image_sha256\": \"" SHA "\",\n  \"model\": \"a\\\\b \\\"c\\\"\",\n  \"obtained\": \"spi\",\n"
			     "  \"offset\": 7,\n  \"subsystem\": \"1028:07be\"\n}\n");
	cr_assert_eq(parse(t1, &b, &e), OD_OK, "%s", e.msg);
	cr_assert(!memcmp(&a, &b, sizeof(a)));
	cr_assert_eq(od_record_write(&b, t2, sizeof(t2)), n);
	cr_assert_str_eq(t1, t2);
}

Test(fields, problems_and_sanitize)
{
	cr_assert_null(od_field_problem("Pr\xc3\xa9" "cision 5510", 255));
	cr_assert_str_eq(od_field_problem("a\x1b[2J", 255), "control character");
	cr_assert_str_eq(od_field_problem("a\xc2\x9b" "2J", 255), "control character");
	cr_assert_str_eq(od_field_problem("a\x7f", 255), "control character");
	cr_assert_str_eq(od_field_problem("\xc0\xaf", 255), "not valid UTF-8");
	cr_assert_str_eq(od_field_problem("\xed\xa0\x80", 255), "not valid UTF-8"); /* a surrogate */
	cr_assert_str_eq(od_field_problem("abcd", 3), "too long");
	char out[16];
	od_field_sanitize("a\x1b" "b\xff\xc2\x9b" "c\n", out, sizeof(out));
	cr_assert_str_eq(out, "a?b??c?");
	od_field_sanitize("\xc3\xa9\xc3\xa9\xc3\xa9", out, 5); /* cut at a character boundary */
	cr_assert_str_eq(out, "\xc3\xa9\xc3\xa9");
}

/* --- bundle reader: ranges and duplicates --- */

static int count_image(void *arg, const char *sha, od_span bytes, od_err *e)
{
	(void)sha, (void)bytes, (void)e;
	(*(size_t *)arg)++;
	return OD_OK;
}

/* A bundle of n one-byte images at offsets off(i), fake distinct hashes
 * (the reader does not hash), the last one repeating hash `dup` if >= 0. */
static uint8_t *bundle(size_t n, size_t (*off)(size_t), long dup, size_t *len)
{
	size_t mcap = n * 100 + 16, ml = 0;
	char *man = malloc(mcap);
	for (size_t i = 0; i < n; i++) {
		size_t h = dup >= 0 && i == n - 1 ? (size_t)dup : i;
		/* All share their last 48 digits: the set must not rely on any part. */
		ml += (size_t)snprintf(man + ml, mcap - ml, "image %016llx%048d %zu 1\n",
				       (unsigned long long)h * 0x9E3779B97F4A7C15ull, 0, off(i));
	}
	*len = 24 + ml + n;
	uint8_t *b = calloc(1, *len);
	od_bundle_hdr h = { .version = 1, .manifest_len = (uint32_t)ml, .data_len = n };
	memcpy(h.tag, OD_BUNDLE_TAG, 8);
	od_bundle_hdr_write(&h, b);
	memcpy(b + od_bundle_hdr_SIZE, man, ml);
	free(man);
	return b;
}

static size_t in_order(size_t i) { return i; }
static size_t overlapping(size_t i) { return i ? i - 1 : 0; }

Test(bundle, ranges_ascending_and_disjoint)
{
	size_t len, seen = 0;
	od_err e;
	od_bundle_cb cb = { count_image, NULL, &seen };
	uint8_t *b = bundle(3, in_order, -1, &len);
	od_err_clear(&e);
	cr_assert_eq(od_bundle_walk(od_span_make(b, len, 0), &cb, &e), OD_OK, "%s", e.msg);
	cr_assert_eq(seen, 3);
	free(b);
	b = bundle(3, overlapping, -1, &len);
	od_err_clear(&e);
	cr_assert_eq(od_bundle_walk(od_span_make(b, len, 0), &cb, &e), OD_E_FORMAT);
	cr_assert(strstr(e.msg, "overlap"), "%s", e.msg);
	free(b);
}

Test(bundle, duplicate_found_among_100000)
{
	size_t len, seen = 0;
	od_err e;
	od_bundle_cb cb = { count_image, NULL, &seen };
	uint8_t *b = bundle(100000, in_order, 31337, &len);
	od_err_clear(&e);
	cr_assert_eq(od_bundle_walk(od_span_make(b, len, 0), &cb, &e), OD_E_FORMAT);
	cr_assert(strstr(e.msg, "listed twice"), "%s", e.msg);
	cr_assert_eq(seen, 99999);
	free(b);
	b = bundle(100000, in_order, -1, &len);
	seen = 0;
	od_err_clear(&e);
	cr_assert_eq(od_bundle_walk(od_span_make(b, len, 0), &cb, &e), OD_OK, "%s", e.msg);
	cr_assert_eq(seen, 100000);
	free(b);
}
