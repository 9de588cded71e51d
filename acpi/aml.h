/* SPDX-License-Identifier: BSD-2-Clause */
/* A small AML writer (ACPI 6.5 spec ch. 20 "ACPI Machine Language"): table
 * header with checksum, name strings, package lengths, and the handful of
 * opcodes the VBIOS tables need. Nested constructs are written by opening a
 * package (its length is patched when it is closed). */
#ifndef OD_AML_H
#define OD_AML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Opcodes used (ACPI 6.5 sec. 20.3, table 20.2). */
enum {
	AML_ZERO = 0x00, AML_ONE = 0x01, AML_NAME = 0x08, AML_BYTE = 0x0A, AML_WORD = 0x0B,
	AML_DWORD = 0x0C, AML_QWORD = 0x0E, AML_SCOPE = 0x10, AML_BUFFER = 0x11, AML_METHOD = 0x14,
	AML_EXTERNAL = 0x15, AML_LOCAL0 = 0x60, AML_ARG0 = 0x68, AML_STORE = 0x70, AML_ADD = 0x72,
	AML_CONCAT = 0x73, AML_SUBTRACT = 0x74, AML_DIVIDE = 0x78, AML_LNOT = 0x92, AML_LEQUAL = 0x93,
	AML_LGREATER = 0x94, AML_LLESS = 0x95, AML_MID = 0x9E, AML_IF = 0xA0, AML_ELSE = 0xA1,
	AML_WHILE = 0xA2, AML_RETURN = 0xA4, AML_BREAK = 0xA5, AML_EXT_PREFIX = 0x5B, AML_DEVICE = 0x82,
	AML_STRING = 0x0D, AML_PACKAGE = 0x12, AML_INCREMENT = 0x75, AML_DECREMENT = 0x76, AML_SHL = 0x79,
	AML_OR = 0x7D, AML_SIZEOF = 0x87, AML_INDEX = 0x88, AML_COPYOBJECT = 0x9D,
	/* after AML_EXT_PREFIX */
	AML_EXT_OPREGION = 0x80, AML_EXT_FIELD = 0x81,
};

/* RegionSpace and FieldFlags access types (ACPI 6.5 sec. 19.6.100, 20.2.5.2). */
enum { AML_SPACE_SYSTEMIO = 0x01, AML_ACC_BYTE = 0x01, AML_ACC_WORD = 0x02 };

/* ObjectType values for External (ACPI 6.5 table 19.x, ObjectType keyword). */
enum { AML_OBJ_BUFFER = 3, AML_OBJ_DEVICE = 6, AML_OBJ_METHOD = 8 };

#define AML_MAX_NEST 32

typedef struct aml {
	uint8_t *p;
	size_t len, cap;
	size_t open[AML_MAX_NEST]; /* start of each open package's body */
	int depth;
	bool failed;               /* allocation failure or bad input: checked at the end */
} aml;

void aml_init(aml *a);
void aml_free(aml *a);
void aml_byte(aml *a, uint8_t b);
void aml_bytes(aml *a, const void *d, size_t n);
/* Integer constant in the shortest form (Zero, One, Byte/Word/DWord/QWord). */
void aml_int(aml *a, uint64_t v);
/* Name string: "\\_SB.PCI0.S10", "^FOO", "VB00"; segments padded with '_'.
 * Sets failed on a malformed path. */
void aml_name(aml *a, const char *path);
/* String constant: StringPrefix, ASCII, NUL (ACPI 6.5 sec. 20.2.3). */
void aml_string(aml *a, const char *s);
/* Name (NAME, Package () { ... }): call aml_close after the elements. */
void aml_name_package(aml *a, const char *name, unsigned count);
/* Method (NAME, 0) { Return (value) } for an integer. */
void aml_method_return_int(aml *a, const char *name, uint64_t v);
/* If (target > max) { target = max }, target a one-byte operand (ArgN,
 * LocalN): how a _ROM caps its length at the 4 KiB one call may return. */
void aml_clamp(aml *a, uint8_t target, uint64_t max);

/* Package length encoding for a body of `len` bytes (including itself);
 * returns bytes written to out (1..4) or 0 when len is too large. */
size_t aml_pkglen_encode(size_t len, uint8_t out[4]);

/* Opens op [ext] PkgLength ...; aml_close patches the length. */
void aml_open(aml *a, uint8_t op, bool ext);
void aml_close(aml *a);

/* Wraps the body in a DefinitionBlock header (signature, OEM fields) and
 * sets the checksum; returns the finished table in *out (malloc'd). */
bool aml_table(aml *body, const char sig[4], const char oem_id[6], const char table_id[8], uint32_t oem_rev,
	       uint8_t **out, size_t *out_len);

#endif
