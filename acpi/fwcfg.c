/* SPDX-License-Identifier: BSD-2-Clause */
/* The fw_cfg SSDT: see fwcfg.h. The fw_cfg interface is QEMU's
 * docs/specs/fw_cfg.rst: on x86 a 16-bit selector written to I/O port 0x510,
 * data read a byte at a time from port 0x511 (the read position advances and
 * resets on every select); selector 0x19 is the file directory: a big-endian
 * u32 count, then per file { be32 size; be16 select; u16 reserved;
 * char name[56]; }. */
#include "fwcfg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aml.h"
#include "battery.h"

#define L(n) ((uint8_t)(AML_LOCAL0 + (n)))
#define A(n) ((uint8_t)(AML_ARG0 + (n)))
#define FWCFG_NAME_LEN 56 /* FWCfgFile.name */
/* One While loop reads one piece: under TCG a byte costs ~0.5 ms of AML
 * (measured, Linux 6.1 guest), so a 4 KiB piece takes ~2 s, far from the
 * 30 s after which ACPICA ends a While loop. */
#define FWCFG_PIECE 0x1000u
#define FWCFG_FANOUT 16          /* FM16 = 16 x FMOR, F256 = 16 x FM16, FLOD = 16 x F256 */
#define FWCFG_MAX_FILE 0x1000000u /* 16 MiB (= FANOUT^3 pieces): a larger "ROM" is a wrong entry */

static void store(aml *a, uint8_t src, uint8_t dst)
{
	aml_byte(a, AML_STORE);
	aml_byte(a, src);
	aml_byte(a, dst);
}

/* OperationRegion (FWIO, SystemIO, 0x510, 2) and the two fields on it:
 * FSEL (16-bit write at 0x510) and FDAT (8-bit read at 0x511). ACPI 6.5
 * sec. 20.2.5.2: DefOpRegion, DefField, NamedField/ReservedField. */
static void emit_ports(aml *a)
{
	aml_byte(a, AML_EXT_PREFIX);
	aml_byte(a, AML_EXT_OPREGION);
	aml_name(a, "FWIO");
	aml_byte(a, AML_SPACE_SYSTEMIO);
	aml_int(a, 0x510);
	aml_int(a, 2);
	aml_open(a, AML_EXT_FIELD, true);
	aml_name(a, "FWIO");
	aml_byte(a, AML_ACC_WORD); /* WordAcc, NoLock, Preserve */
	aml_bytes(a, "FSEL\x10", 5);
	aml_close(a);
	aml_open(a, AML_EXT_FIELD, true);
	aml_name(a, "FWIO");
	aml_byte(a, AML_ACC_BYTE);
	aml_bytes(a, "\x00\x08" "FDAT\x08", 7); /* Offset (1), FDAT, 8 */
	aml_close(a);
}

/* Method (FRDI, 1): the next Arg0 data bytes as a big-endian integer. */
static void emit_frdi(aml *a)
{
	aml_open(a, AML_METHOD, false);
	aml_name(a, "FRDI");
	aml_byte(a, 0x01);
	store(a, AML_ZERO, L(0));
	aml_open(a, AML_WHILE, false);
	aml_byte(a, A(0));
	aml_byte(a, AML_OR); /* Local0 = (Local0 << 8) | FDAT */
	aml_byte(a, AML_SHL);
	aml_byte(a, L(0));
	aml_int(a, 8);
	aml_byte(a, AML_ZERO);
	aml_name(a, "FDAT");
	aml_byte(a, L(0));
	aml_byte(a, AML_DECREMENT);
	aml_byte(a, A(0));
	aml_close(a);
	aml_byte(a, AML_RETURN);
	aml_byte(a, L(0));
	aml_close(a);
}

/* Method (FRDB, 1): the next Arg0 data bytes as a buffer. */
static void emit_frdb(aml *a)
{
	aml_open(a, AML_METHOD, false);
	aml_name(a, "FRDB");
	aml_byte(a, 0x01);
	aml_byte(a, AML_STORE); /* Local0 = Buffer (Arg0) {} */
	aml_open(a, AML_BUFFER, false);
	aml_byte(a, A(0));
	aml_close(a);
	aml_byte(a, L(0));
	store(a, AML_ZERO, L(1));
	aml_open(a, AML_WHILE, false);
	aml_byte(a, AML_LLESS);
	aml_byte(a, L(1));
	aml_byte(a, A(0));
	aml_byte(a, AML_STORE); /* Local0 [Local1] = FDAT */
	aml_name(a, "FDAT");
	aml_byte(a, AML_INDEX);
	aml_byte(a, L(0));
	aml_byte(a, L(1));
	aml_byte(a, AML_ZERO);
	aml_byte(a, AML_INCREMENT);
	aml_byte(a, L(1));
	aml_close(a);
	aml_byte(a, AML_RETURN);
	aml_byte(a, L(0));
	aml_close(a);
}

/* Method (FMOR): appends the next piece (at most FWCFG_PIECE bytes) to RBUF.
 * ACPICA ends a While loop after 30 s (ACPI_MAX_LOOP_TIMEOUT), also one
 * that only calls methods, and under TCG a 64 KiB byte loop takes longer
 * (measured): each loop reads one piece, and the pieces are called from
 * straight-line code (FM16, F256, FLOD), not from a loop. */
static void emit_fmor(aml *a)
{
	aml_open(a, AML_METHOD, false);
	aml_name(a, "FMOR");
	aml_byte(a, 0x00);
	aml_byte(a, AML_SUBTRACT); /* Local0 = RLEN - SizeOf (RBUF) */
	aml_name(a, "RLEN");
	aml_byte(a, AML_SIZEOF);
	aml_name(a, "RBUF");
	aml_byte(a, L(0));
	aml_clamp(a, L(0), FWCFG_PIECE); /* one piece at the most */
	aml_open(a, AML_IF, false); /* CopyObject (Concatenate (RBUF, FRDB (Local0)), RBUF) */
	aml_byte(a, L(0));
	aml_byte(a, AML_COPYOBJECT);
	aml_byte(a, AML_CONCAT);
	aml_name(a, "RBUF");
	aml_name(a, "FRDB");
	aml_byte(a, L(0));
	aml_byte(a, AML_ZERO);
	aml_name(a, "RBUF");
	aml_close(a);
	aml_close(a);
	static const char *const fan[][2] = { { "FM16", "FMOR" }, { "F256", "FM16" } };
	for (size_t k = 0; k < 2; k++) {
		aml_open(a, AML_METHOD, false);
		aml_name(a, fan[k][0]);
		aml_byte(a, 0x00);
		for (int i = 0; i < FWCFG_FANOUT; i++)
			aml_name(a, fan[k][1]);
		aml_close(a);
	}
}

/* Method (FLOD, 0, Serialized): finds FNAM in the directory and reads the
 * whole file into RBUF (RLEN bytes). RLOD is set first so a missing file is
 * looked for once, not on every _ROM call. */
static void emit_flod(aml *a)
{
	aml_open(a, AML_METHOD, false);
	aml_name(a, "FLOD");
	aml_byte(a, 0x08); /* no arguments, serialized */
	aml_byte(a, AML_STORE);
	aml_byte(a, AML_ONE);
	aml_name(a, "RLOD");
	aml_byte(a, AML_STORE);
	aml_int(a, 0x19);
	aml_name(a, "FSEL");
	aml_byte(a, AML_STORE); /* Local0 = FRDI (4): the file count */
	aml_name(a, "FRDI");
	aml_int(a, 4);
	aml_byte(a, L(0));
	aml_open(a, AML_IF, false); /* a sane bound on the walk */
	aml_byte(a, AML_LGREATER);
	aml_byte(a, L(0));
	aml_int(a, 0x1000);
	store(a, AML_ZERO, L(0));
	aml_close(a);
	aml_open(a, AML_WHILE, false);
	aml_byte(a, L(0));
	{
		static const struct { uint8_t n, local; } fields[] = { { 4, 1 }, { 2, 2 } };
		for (size_t i = 0; i < 2; i++) { /* size, select */
			aml_byte(a, AML_STORE);
			aml_name(a, "FRDI");
			aml_int(a, fields[i].n);
			aml_byte(a, L(fields[i].local));
		}
		aml_name(a, "FRDI"); /* reserved */
		aml_int(a, 2);
		aml_byte(a, AML_STORE); /* Local3 = FRDB (56): the name */
		aml_name(a, "FRDB");
		aml_int(a, FWCFG_NAME_LEN);
		aml_byte(a, L(3));
		aml_open(a, AML_IF, false);
		aml_byte(a, AML_LEQUAL);
		aml_byte(a, L(3));
		aml_name(a, "FNAM");
		{
			aml_open(a, AML_IF, false);
			aml_byte(a, AML_LGREATER);
			aml_byte(a, L(1));
			aml_int(a, FWCFG_MAX_FILE);
			aml_byte(a, AML_RETURN);
			aml_byte(a, AML_ZERO);
			aml_close(a);
			aml_byte(a, AML_STORE);
			aml_byte(a, L(2));
			aml_name(a, "FSEL");
			aml_byte(a, AML_STORE);
			aml_byte(a, L(1));
			aml_name(a, "RLEN");
			store(a, L(1), L(4)); /* the first piece */
			aml_clamp(a, L(4), FWCFG_PIECE);
			aml_byte(a, AML_COPYOBJECT); /* CopyObject (FRDB (Local4), RBUF) */
			aml_name(a, "FRDB");
			aml_byte(a, L(4));
			aml_name(a, "RBUF");
			for (int i = 0; i < FWCFG_FANOUT; i++)
				aml_name(a, "F256");
			aml_byte(a, AML_STORE); /* RLEN = SizeOf (RBUF): what was read */
			aml_byte(a, AML_SIZEOF);
			aml_name(a, "RBUF");
			aml_name(a, "RLEN");
			aml_byte(a, AML_RETURN);
			aml_name(a, "RLEN");
		}
		aml_close(a);
		aml_byte(a, AML_DECREMENT);
		aml_byte(a, L(0));
	}
	aml_close(a);
	aml_byte(a, AML_RETURN);
	aml_byte(a, AML_ZERO);
	aml_close(a);
}

/* Method (_ROM, 2, Serialized): exactly min (Arg1, 4096) bytes from RBUF at
 * Arg0, zeros past the end (nouveau stops at the first short read). */
static void emit_rom(aml *a)
{
	aml_open(a, AML_METHOD, false);
	aml_name(a, "_ROM");
	aml_byte(a, 0x0A);
	aml_open(a, AML_IF, false); /* If (!RLOD) { FLOD () } */
	aml_byte(a, AML_LNOT);
	aml_name(a, "RLOD");
	aml_name(a, "FLOD");
	aml_close(a);
	aml_clamp(a, A(1), 0x1000); /* If (Arg1 > 0x1000) { Arg1 = 0x1000 } */
	store(a, AML_ZERO, L(0)); /* Local0: bytes the file has at Arg0, at most Arg1 */
	aml_open(a, AML_IF, false);
	aml_byte(a, AML_LLESS);
	aml_byte(a, A(0));
	aml_name(a, "RLEN");
	aml_byte(a, AML_SUBTRACT);
	aml_name(a, "RLEN");
	aml_byte(a, A(0));
	aml_byte(a, L(0));
	aml_open(a, AML_IF, false);
	aml_byte(a, AML_LGREATER);
	aml_byte(a, L(0));
	aml_byte(a, A(1));
	store(a, A(1), L(0));
	aml_close(a);
	aml_close(a);
	aml_open(a, AML_IF, false); /* all from the file */
	aml_byte(a, AML_LEQUAL);
	aml_byte(a, L(0));
	aml_byte(a, A(1));
	aml_byte(a, AML_RETURN);
	aml_byte(a, AML_MID);
	aml_name(a, "RBUF");
	aml_byte(a, A(0));
	aml_byte(a, A(1));
	aml_byte(a, AML_ZERO);
	aml_close(a);
	aml_open(a, AML_IF, false); /* nothing from the file */
	aml_byte(a, AML_LNOT);
	aml_byte(a, L(0));
	aml_byte(a, AML_RETURN);
	aml_open(a, AML_BUFFER, false);
	aml_byte(a, A(1));
	aml_close(a);
	aml_close(a);
	aml_byte(a, AML_RETURN); /* the file's tail, then zeros */
	aml_byte(a, AML_CONCAT);
	aml_byte(a, AML_MID);
	aml_name(a, "RBUF");
	aml_byte(a, A(0));
	aml_byte(a, L(0));
	aml_byte(a, AML_ZERO);
	aml_open(a, AML_BUFFER, false);
	aml_byte(a, AML_SUBTRACT);
	aml_byte(a, A(1));
	aml_byte(a, L(0));
	aml_byte(a, AML_ZERO);
	aml_close(a);
	aml_byte(a, AML_ZERO);
	aml_close(a);
}

static void emit_names(aml *a)
{
	/* Buffer (56) { "name" }: the rest of the 56 bytes is zero (ACPI 6.5
	 * sec. 19.6.10), the way iasl compiles the ASL twin. */
	aml_byte(a, AML_NAME);
	aml_name(a, "FNAM");
	aml_open(a, AML_BUFFER, false);
	aml_int(a, FWCFG_NAME_LEN);
	aml_bytes(a, OD_FWCFG_NAME, sizeof(OD_FWCFG_NAME));
	aml_close(a);
	aml_byte(a, AML_NAME);
	aml_name(a, "RBUF");
	aml_open(a, AML_BUFFER, false);
	aml_byte(a, AML_ONE);
	aml_byte(a, 0x00);
	aml_close(a);
	aml_byte(a, AML_NAME);
	aml_name(a, "RLEN");
	aml_byte(a, AML_ZERO);
	aml_byte(a, AML_NAME);
	aml_name(a, "RLOD");
	aml_byte(a, AML_ZERO);
}

static const char asl_body[] =
	"        /* fw_cfg on x86 (QEMU docs/specs/fw_cfg.rst): selector port 0x510, data port 0x511. */\n"
	"        OperationRegion (FWIO, SystemIO, 0x0510, 0x02)\n"
	"        Field (FWIO, WordAcc, NoLock, Preserve) { FSEL, 16 }\n"
	"        Field (FWIO, ByteAcc, NoLock, Preserve) { Offset (0x01), FDAT, 8 }\n"
	"        Name (FNAM, Buffer (0x38) { \"%s\" })   /* the fw_cfg file name, NUL-padded to 56 */\n"
	"        Name (RBUF, Buffer (One) { 0x00 })   /* the ROM, read on first use */\n"
	"        Name (RLEN, Zero)\n"
	"        Name (RLOD, Zero)\n\n"
	"        Method (FRDI, 1, NotSerialized)   /* next Arg0 bytes, big-endian */\n        {\n"
	"            Local0 = Zero\n"
	"            While (Arg0) { Local0 = ((Local0 << 0x08) | FDAT); Arg0-- }\n"
	"            Return (Local0)\n        }\n\n"
	"        Method (FRDB, 1, NotSerialized)   /* next Arg0 bytes as a buffer */\n        {\n"
	"            Local0 = Buffer (Arg0) {}\n"
	"            Local1 = Zero\n"
	"            While (Local1 < Arg0) { Local0 [Local1] = FDAT; Local1++ }\n"
	"            Return (Local0)\n        }\n\n"
	"        /* One While loop per piece of 0x%X bytes: ACPICA stops a While after 30 s. */\n"
	"        Method (FMOR, 0, NotSerialized)\n        {\n"
	"            Local0 = (RLEN - SizeOf (RBUF))\n"
	"            If (Local0 > 0x%X) { Local0 = 0x%X }\n"
	"            If (Local0) { CopyObject (Concatenate (RBUF, FRDB (Local0)), RBUF) }\n"
	"        }\n\n"
	"        Method (FM16, 0, NotSerialized)\n        {\n%s        }\n\n"
	"        Method (F256, 0, NotSerialized)\n        {\n%s        }\n\n"
	"        Method (FLOD, 0, Serialized)   /* find FNAM in the directory (selector 0x19), read it all */\n        {\n"
	"            RLOD = One\n"
	"            FSEL = 0x19\n"
	"            Local0 = FRDI (0x04)\n"
	"            If (Local0 > 0x1000) { Local0 = Zero }\n"
	"            While (Local0)\n            {\n"
	"                Local1 = FRDI (0x04)   /* size */\n"
	"                Local2 = FRDI (0x02)   /* select */\n"
	"                FRDI (0x02)   /* reserved */\n"
	"                Local3 = FRDB (0x38)   /* name */\n"
	"                If (Local3 == FNAM)\n                {\n"
	"                    If (Local1 > 0x%X) { Return (Zero) }\n"
	"                    FSEL = Local2\n"
	"                    RLEN = Local1\n"
	"                    Local4 = Local1\n"
	"                    If (Local4 > 0x%X) { Local4 = 0x%X }\n"
	"                    CopyObject (FRDB (Local4), RBUF)\n"
	"%s"
	"                    RLEN = SizeOf (RBUF)\n"
	"                    Return (RLEN)\n                }\n"
	"                Local0--\n            }\n"
	"            Return (Zero)\n        }\n\n"
	"        /* _ROM (offset, length): exactly min (length, 4096) bytes, zeros past the end. */\n"
	"        Method (_ROM, 2, Serialized)\n        {\n"
	"            If (!RLOD) { FLOD () }\n"
	"            If (Arg1 > 0x1000) { Arg1 = 0x1000 }\n"
	"            Local0 = Zero\n"
	"            If (Arg0 < RLEN)\n            {\n"
	"                Local0 = (RLEN - Arg0)\n"
	"                If (Local0 > Arg1) { Local0 = Arg1 }\n            }\n"
	"            If (Local0 == Arg1) { Return (Mid (RBUF, Arg0, Arg1)) }\n"
	"            If (!Local0) { Return (Buffer (Arg1) {}) }\n"
	"            Return (Concatenate (Mid (RBUF, Arg0, Local0), Buffer ((Arg1 - Local0)) {}))\n"
	"        }\n";

static char *asl_source(const od_acpi_opts *o)
{
	size_t cap = 24576;
	char *s = malloc(cap);
	if (!s)
		return NULL;
	size_t k = (size_t)snprintf(s, cap,
		"/* optimus-db: _ROM at %s serves the fw_cfg file \"%s\"\n"
		" * (QEMU: -fw_cfg name=%s,file=ROM), read once on first use. */\n"
		"DefinitionBlock (\"\", \"SSDT\", 2, \"OPTMDB\", \"VBIOSFWC\", 1)\n{\n"
		"    External (%s, DeviceObj)\n\n    Scope (%s)\n    {\n",
		o->path, OD_FWCFG_NAME, OD_FWCFG_NAME, o->path, o->path);
	char fm16[FWCFG_FANOUT * 24 + 1] = "", f256[FWCFG_FANOUT * 24 + 1] = "", flod[FWCFG_FANOUT * 32 + 1] = "";
	for (int i = 0; i < FWCFG_FANOUT; i++) {
		strcat(fm16, "            FMOR ()\n");
		strcat(f256, "            FM16 ()\n");
		strcat(flod, "                    F256 ()\n");
	}
	if (k < cap)
		k += (size_t)snprintf(s + k, cap - k, asl_body, OD_FWCFG_NAME, FWCFG_PIECE, FWCFG_PIECE, FWCFG_PIECE, fm16, f256,
				      FWCFG_MAX_FILE, FWCFG_PIECE, FWCFG_PIECE, flod);
	if (k < cap)
		k += (size_t)snprintf(s + k, cap - k, "    }\n");
	if (o->battery && k < cap)
		k += od_asl_battery(s + k, cap - k);
	if (k < cap)
		snprintf(s + k, cap - k, "}\n");
	return s;
}

int od_fwcfg_build(const od_acpi_opts *o, bool with_asl, od_ssdt **tables, size_t *n, od_err *e)
{
	od_ssdt *t = calloc(1, sizeof(*t));
	if (!t)
		return od_fail(e, OD_E_NOMEM, 0, "tables");
	*tables = t;
	*n = 1;
	aml a;
	aml_init(&a);
	aml_open(&a, AML_SCOPE, false); /* no External for the device: see od_ssdt_build */
	aml_name(&a, o->path);
	emit_ports(&a);
	emit_names(&a);
	emit_frdi(&a);
	emit_frdb(&a);
	emit_fmor(&a);
	emit_flod(&a);
	emit_rom(&a);
	aml_close(&a);
	if (o->battery)
		od_aml_battery(&a);
	snprintf(t->name, sizeof(t->name), "vbios-fwcfg.aml");
	bool ok = aml_table(&a, "SSDT", "OPTMDB", "VBIOSFWC", 1, &t->aml, &t->len);
	aml_free(&a);
	if (!ok)
		return od_fail(e, OD_E_FORMAT, 0, "AML encoding failed (bad ACPI path or out of memory)");
	if (with_asl && !(t->asl = asl_source(o)))
		return od_fail(e, OD_E_NOMEM, 0, "ASL");
	return OD_OK;
}
