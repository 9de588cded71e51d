/* SPDX-License-Identifier: BSD-2-Clause */
/* Header layouts written once (fwupd's rustgen structs, as X-macros).
 *
 * A layout is a list macro of fields, each X(kind, name, offset), in
 * parsers/layout/<family>.h. From that one list this header makes
 *   - a C struct `tag` with one member per field,
 *   - `tag_read(span, at, &h, e)`: every field through the bounded reader,
 *     in offset order; a field cut short fails with the layout and field
 *     name in the message and the field's absolute offset;
 *     `tag_read_n(span, at, &h, n, e)` reads only the fields inside the
 *     first n bytes (a revision-dependent tail; the rest keep their value),
 *   - `tag_write(&h, buf)`: the fields little-endian into tag_SIZE bytes
 *     (the fixture writers of the tests and od-mkseed use it),
 *   - `tag_layout`: title, size and a field table (name, offset, width)
 *     for --tree/--json and for tests that check the table itself.
 *   - `OD_OFF(tag, field)`: the field's offset, for messages and scans.
 * Offsets are relative to the header's start; a header that follows a
 * variable-size one (a section's typed header after the common one) is its
 * own layout read at the end of the first. Bytes between fields are not
 * read; the writer leaves them as the caller's buffer had them. */
#ifndef OD_LAYOUT_H
#define OD_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "reader.h"

enum od_lt_kind {
	OD_LT_U8,
	OD_LT_U16,
	OD_LT_U24,
	OD_LT_U32,
	OD_LT_U64,
	OD_LT_GUID,
	OD_LT_BYTES, /* signatures, reserved runs: compared or copied, not numbers */
};

typedef struct od_lt_field {
	const char *name;
	uint32_t off, width;
	enum od_lt_kind kind;
} od_lt_field;

typedef struct od_layout {
	const char *name;  /* the struct's name in code and messages */
	const char *title; /* the spec's struct name */
	size_t size;       /* bytes the header spans (fields end at or before it) */
	const od_lt_field *fields;
	size_t nfields;
} od_layout;

/* Field kinds: C type, array suffix, width, table kind, how to pass. */
#define OD_LT_CT_u8 uint8_t
#define OD_LT_CT_u16 uint16_t
#define OD_LT_CT_u24 uint32_t
#define OD_LT_CT_u32 uint32_t
#define OD_LT_CT_u64 uint64_t
#define OD_LT_CT_guid od_guid
#define OD_LT_CT_b2 uint8_t
#define OD_LT_CT_b4 uint8_t
#define OD_LT_CT_b8 uint8_t
#define OD_LT_CT_b16 uint8_t
#define OD_LT_DIM_u8
#define OD_LT_DIM_u16
#define OD_LT_DIM_u24
#define OD_LT_DIM_u32
#define OD_LT_DIM_u64
#define OD_LT_DIM_guid
#define OD_LT_DIM_b2 [2]
#define OD_LT_DIM_b4 [4]
#define OD_LT_DIM_b8 [8]
#define OD_LT_DIM_b16 [16]
#define OD_LT_W_u8 1
#define OD_LT_W_u16 2
#define OD_LT_W_u24 3
#define OD_LT_W_u32 4
#define OD_LT_W_u64 8
#define OD_LT_W_guid 16
#define OD_LT_W_b2 2
#define OD_LT_W_b4 4
#define OD_LT_W_b8 8
#define OD_LT_W_b16 16
#define OD_LT_K_u8 OD_LT_U8
#define OD_LT_K_u16 OD_LT_U16
#define OD_LT_K_u24 OD_LT_U24
#define OD_LT_K_u32 OD_LT_U32
#define OD_LT_K_u64 OD_LT_U64
#define OD_LT_K_guid OD_LT_GUID
#define OD_LT_K_b2 OD_LT_BYTES
#define OD_LT_K_b4 OD_LT_BYTES
#define OD_LT_K_b8 OD_LT_BYTES
#define OD_LT_K_b16 OD_LT_BYTES

/* One reader and one writer per kind (layout.c); `lt`/`field` name the
 * field in the error. Bytes kinds pass their width. */
int od_lt_get(od_span s, size_t at, enum od_lt_kind k, uint32_t width, void *dst, const char *lt,
	      const char *field, od_err *e);
void od_lt_put(uint8_t *p, enum od_lt_kind k, uint32_t width, const void *src);
/* Little-endian stores for the bytes between layouts (fixture writers). */
void od_put16(uint8_t *p, uint16_t v);
void od_put24(uint8_t *p, uint32_t v);
void od_put32(uint8_t *p, uint32_t v);
void od_put64(uint8_t *p, uint64_t v);
/* The field of l called name, or NULL. */
const od_lt_field *od_layout_field(const od_layout *l, const char *name);

#define OD_LT_MEMBER_(k, name, off) OD_LT_CT_##k name OD_LT_DIM_##k;
/* A struct whose member sizes are the offsets + 1: OD_OFF is a compile-time
 * constant and a misspelt field name does not compile. */
#define OD_LT_OFFM_(k, name, off) char name[(off) + 1];
#define OD_OFF(tag, name) (sizeof(((struct tag##_offs_ *)0)->name) - 1)
#define OD_LT_READ_(k, name, off)                                                              \
	if ((off) + OD_LT_W_##k <= n)                                                          \
		OD_TRY(od_lt_get(s, at + (off), OD_LT_K_##k, OD_LT_W_##k, (void *)&h->name, lt_name_, \
				 #name, e));
#define OD_LT_WRITE_(k, name, off) od_lt_put(buf + (off), OD_LT_K_##k, OD_LT_W_##k, (const void *)&h->name);
#define OD_LT_ENTRY_(k, name, off) { #name, (off), OD_LT_W_##k, OD_LT_K_##k },
#define OD_LT_CHECK_(k, name, off) _Static_assert((off) + OD_LT_W_##k <= lt_size_, #name " runs past the header");

/* In the family header: the struct, its size and the prototypes. */
#define OD_LAYOUT_DECLARE(tag, LIST, size)                                \
	enum { tag##_SIZE = (size) };                                         \
	typedef struct tag {                                                  \
		LIST(OD_LT_MEMBER_)                                           \
	} tag;                                                                \
	struct tag##_offs_ {                                                  \
		LIST(OD_LT_OFFM_)                                             \
	};                                                                    \
	int tag##_read_n(od_span s, size_t at, tag *h, size_t n, od_err *e);  \
	int tag##_read(od_span s, size_t at, tag *h, od_err *e);              \
	void tag##_write(const tag *h, uint8_t *buf);                         \
	extern const od_layout tag##_layout;

/* In layout.c, once per layout: the functions and the field table. */
#define OD_LAYOUT_DEFINE(tag, LIST, title_)                                   \
	int tag##_read_n(od_span s, size_t at, tag *h, size_t n, od_err *e)   \
	{                                                                     \
		static const char lt_name_[] = #tag;                          \
		LIST(OD_LT_READ_)                                             \
		return OD_OK;                                                 \
	}                                                                     \
	int tag##_read(od_span s, size_t at, tag *h, od_err *e)               \
	{                                                                     \
		return tag##_read_n(s, at, h, tag##_SIZE, e);                 \
	}                                                                     \
	void tag##_write(const tag *h, uint8_t *buf)                          \
	{                                                                     \
		enum { lt_size_ = tag##_SIZE };                               \
		LIST(OD_LT_CHECK_)                                            \
		LIST(OD_LT_WRITE_)                                            \
	}                                                                     \
	static const od_lt_field tag##_fields_[] = { LIST(OD_LT_ENTRY_) };    \
	const od_layout tag##_layout = { #tag, title_, tag##_SIZE, tag##_fields_, \
					 sizeof(tag##_fields_) / sizeof(tag##_fields_[0]) };

#endif
