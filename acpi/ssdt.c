/* SPDX-License-Identifier: BSD-2-Clause */
/* VBIOS SSDTs: see ssdt.h for the design and the facts it rests on. */
#include "ssdt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aml.h"
#include "battery.h"

#define L(n) ((uint8_t)(AML_LOCAL0 + (n)))
#define A(n) ((uint8_t)(AML_ARG0 + (n)))

void od_acpi_slot_name(unsigned dev, unsigned fn, char out[5])
{
	snprintf(out, 5, "S%02X", ((dev & 0x1F) << 3 | (fn & 7)) & 0xFF);
}

/* n hex digits (1..max) at *s, advancing it. */
static bool hex_field(const char **s, int max, unsigned *v)
{
	int k = 0;
	*v = 0;
	for (; k < max && od_hexval(**s) >= 0; k++, (*s)++)
		*v = *v << 4 | (unsigned)od_hexval(**s);
	return k > 0;
}

/* "[BB:]DD.F", hex, nothing else around it. */
static bool parse_addr(const char *s, unsigned *bus, unsigned *dev, unsigned *fn)
{
	const char *p = s;
	*bus = 0;
	if (strchr(s, ':') && (!hex_field(&p, 2, bus) || *p++ != ':'))
		return false;
	if (!hex_field(&p, 2, dev) || *p++ != '.' || !hex_field(&p, 1, fn) || *p)
		return false;
	return *dev < 32 && *fn < 8;
}

int od_guest_topology(const char *guest, const char *guest_addr, const char *root_port, od_guest_topo *t, od_err *e)
{
	memset(t, 0, sizeof(*t));
	t->q35 = !guest || !strcmp(guest, "q35");
	if (!t->q35 && strcmp(guest, "pc") != 0)
		return od_fail(e, OD_E_USAGE, 0, "--guest must be q35 or pc, not '%s'", guest);
	if (!guest_addr)
		guest_addr = t->q35 ? "01:00.0" : "00:05.0";
	if (!parse_addr(guest_addr, &t->bus, &t->dev, &t->fn))
		return od_fail(e, OD_E_USAGE, 0, "guest address '%s' is not [BB:]DD.F (hex; device < 20, function < 8)", guest_addr);
	if (t->bus == 0)
		return OD_OK;
	if (!t->q35)
		return od_fail(e, OD_E_USAGE, 0, "a pc (i440fx) guest has no PCIe root ports: put the GPU on bus 0");
	unsigned rb;
	if (!root_port)
		root_port = "00:1c.0";
	if (!parse_addr(root_port, &rb, &t->rd, &t->rf) || rb != 0)
		return od_fail(e, OD_E_USAGE, 0, "root port address '%s' must be 00:DD.F (hex)", root_port);
	return OD_OK;
}

int od_acpi_path_for(const char *guest, const char *guest_addr, const char *root_port, char *out, size_t n,
		     char *why, size_t wn, od_err *e)
{
	od_guest_topo t;
	OD_TRY(od_guest_topology(guest, guest_addr, root_port, &t, e));
	char s[5], r[5];
	od_acpi_slot_name(t.dev, t.fn, s);
	if (t.bus == 0) {
		snprintf(out, n, "\\_SB.PCI0.%s", s);
		snprintf(why, wn, "%s guest, GPU at 00:%02x.%x on the root bus: QEMU names the slot %s (S + devfn 0x%02X)",
			 t.q35 ? "q35" : "pc", t.dev, t.fn, s, t.dev << 3 | t.fn);
		return OD_OK;
	}
	od_acpi_slot_name(t.rd, t.rf, r);
	snprintf(out, n, "\\_SB.PCI0.%s.%s", r, s);
	snprintf(why, wn,
		 "q35 guest, GPU at %02x:%02x.%x behind the pcie-root-port at 00:%02x.%x: QEMU names the port %s and "
		 "the GPU %s",
		 t.bus, t.dev, t.fn, t.rd, t.rf, r, s);
	return OD_OK;
}

/* ACPI 6.5, 20.2.2 Name Objects Encoding: NameString := RootChar NamePath |
 * PrefixPath NamePath; NameSeg := LeadNameChar NameChar{3} ('_' padded). */
int od_acpi_path_check(const char *path, od_err *e)
{
	size_t len = strlen(path);
	if (!len)
		return od_fail(e, OD_E_USAGE, 0, "--acpi-path is empty: give the GPU's node, e.g. \\_SB.PCI0.SE0.S00");
	if (len >= OD_ACPI_PATH_MAX)
		return od_fail(e, OD_E_USAGE, 0, "--acpi-path is %zu characters; at most %u are supported", len,
			       OD_ACPI_PATH_MAX - 1);
	if (strchr(path, '^'))
		return od_fail(e, OD_E_USAGE, 0, "--acpi-path '%s': a parent prefix '^' has no parent to climb to (the tables "
			       "are loaded at the root); give the path from \\", path);
	const char *p = path + (path[0] == '\\');
	if (!*p)
		return od_fail(e, OD_E_USAGE, 0, "--acpi-path '%s' names no segment (the root cannot hold the GPU's _ROM)", path);
	for (unsigned seg = 1;; seg++) {
		size_t n = strcspn(p, ".");
		bool ok = n >= 1 && n <= 4 && (p[0] == '_' || (p[0] >= 'A' && p[0] <= 'Z'));
		for (size_t i = 1; ok && i < n; i++)
			ok = p[i] == '_' || (p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= '0' && p[i] <= '9');
		if (!ok)
			return od_fail(e, OD_E_USAGE, 0, "--acpi-path '%s': segment %u '%.*s' is not an ACPI name (1-4 characters, "
				       "[A-Z_] then [A-Z0-9_], segments separated by '.', one optional leading \\)",
				       path, seg, (int)n, p);
		if (!p[n])
			return OD_OK;
		p += n + 1;
	}
}

static void chunk_name(unsigned i, char out[8])
{
	snprintf(out, 8, "\\VB%02u", i);
}

/* Method (VBCK, 1): chunk i as a buffer. */
static void emit_selector(aml *a, unsigned nchunks)
{
	aml_open(a, AML_METHOD, false);
	aml_name(a, "VBCK");
	aml_byte(a, 0x01); /* 1 argument, not serialized */
	for (unsigned i = 0; i < nchunks; i++) {
		char nm[8];
		chunk_name(i, nm);
		aml_open(a, AML_IF, false);
		aml_byte(a, AML_LEQUAL);
		aml_byte(a, A(0));
		aml_int(a, i);
		aml_byte(a, AML_RETURN);
		aml_name(a, nm);
		aml_close(a);
	}
	aml_byte(a, AML_RETURN);
	aml_name(a, "\\VB00");
	aml_close(a);
}

static void if_greater_store(aml *a, uint8_t x, uint8_t y)
{
	aml_open(a, AML_IF, false); /* If (x > y) { x = y } */
	aml_byte(a, AML_LGREATER);
	aml_byte(a, x);
	aml_byte(a, y);
	aml_byte(a, AML_STORE);
	aml_byte(a, y);
	aml_byte(a, x);
	aml_close(a);
}

/* Appends Local7 (or a zero buffer of Local7 bytes) to Local0. */
static void append(aml *a, bool zeros)
{
	for (int branch = 0; branch < 2; branch++) {
		if (branch == 0) {
			aml_open(a, AML_IF, false);
			aml_byte(a, AML_LEQUAL);
			aml_byte(a, L(1));
			aml_byte(a, AML_ZERO);
			aml_byte(a, AML_STORE);
		} else {
			aml_open(a, AML_ELSE, false);
			aml_byte(a, AML_CONCAT);
			aml_byte(a, L(0));
		}
		if (zeros) {
			aml_open(a, AML_BUFFER, false);
			aml_byte(a, L(7));
			aml_close(a);
		} else {
			aml_byte(a, L(7));
		}
		aml_byte(a, L(0));
		aml_close(a);
	}
}

/* Method (_ROM, 2, Serialized): Arg0 offset, Arg1 length. Locals: 0 result,
 * 1 bytes done, 2 ROM position, 3 offset in chunk, 4 chunk index, 5 bytes to
 * copy, 6 chunk, 7 scratch. The ASL twin is asl_method. */
static void emit_rom_method(aml *a, size_t rom_len)
{
	aml_open(a, AML_METHOD, false);
	aml_name(a, "_ROM");
	aml_byte(a, 0x0A); /* 2 arguments, serialized */
	aml_clamp(a, A(1), 0x1000); /* If (Arg1 > 0x1000) { Arg1 = 0x1000 } */
	aml_byte(a, AML_STORE); /* Local0 = Buffer (Zero) {} for a zero-length ask */
	aml_open(a, AML_BUFFER, false);
	aml_byte(a, AML_ZERO);
	aml_close(a);
	aml_byte(a, L(0));
	aml_byte(a, AML_STORE);
	aml_byte(a, AML_ZERO);
	aml_byte(a, L(1));
	aml_open(a, AML_WHILE, false);
	aml_byte(a, AML_LLESS);
	aml_byte(a, L(1));
	aml_byte(a, A(1));
	{
		aml_byte(a, AML_ADD); /* Local2 = Arg0 + Local1 */
		aml_byte(a, A(0));
		aml_byte(a, L(1));
		aml_byte(a, L(2));
		aml_open(a, AML_IF, false); /* past the ROM: the rest is zeros */
		aml_byte(a, AML_LNOT);
		aml_byte(a, AML_LLESS);
		aml_byte(a, L(2));
		aml_int(a, rom_len);
		aml_byte(a, AML_BREAK);
		aml_close(a);
		aml_byte(a, AML_DIVIDE); /* Local3 = pos % CHUNK, Local4 = pos / CHUNK */
		aml_byte(a, L(2));
		aml_int(a, OD_SSDT_CHUNK);
		aml_byte(a, L(3));
		aml_byte(a, L(4));
		aml_byte(a, AML_SUBTRACT); /* Local5 = CHUNK - Local3 */
		aml_int(a, OD_SSDT_CHUNK);
		aml_byte(a, L(3));
		aml_byte(a, L(5));
		aml_byte(a, AML_SUBTRACT); /* Local7 = Arg1 - Local1 */
		aml_byte(a, A(1));
		aml_byte(a, L(1));
		aml_byte(a, L(7));
		if_greater_store(a, L(5), L(7));
		aml_byte(a, AML_SUBTRACT); /* Local7 = ROMSIZE - Local2 */
		aml_int(a, rom_len);
		aml_byte(a, L(2));
		aml_byte(a, L(7));
		if_greater_store(a, L(5), L(7));
		aml_byte(a, AML_STORE); /* Local6 = VBCK (Local4) */
		aml_name(a, "VBCK");
		aml_byte(a, L(4));
		aml_byte(a, L(6));
		aml_byte(a, AML_MID); /* Local7 = Mid (Local6, Local3, Local5) */
		aml_byte(a, L(6));
		aml_byte(a, L(3));
		aml_byte(a, L(5));
		aml_byte(a, L(7));
		append(a, false);
		aml_byte(a, AML_ADD); /* Local1 += Local5 */
		aml_byte(a, L(1));
		aml_byte(a, L(5));
		aml_byte(a, L(1));
	}
	aml_close(a);
	aml_open(a, AML_IF, false); /* zero-fill up to the asked length */
	aml_byte(a, AML_LLESS);
	aml_byte(a, L(1));
	aml_byte(a, A(1));
	aml_byte(a, AML_SUBTRACT);
	aml_byte(a, A(1));
	aml_byte(a, L(1));
	aml_byte(a, L(7));
	append(a, true);
	aml_close(a);
	aml_byte(a, AML_RETURN);
	aml_byte(a, L(0));
	aml_close(a);
}

static char *asl_method(const od_acpi_opts *o, size_t rom_len, unsigned nchunks)
{
	size_t cap = 16384 + nchunks * 128;
	char *s = malloc(cap);
	if (!s)
		return NULL;
	size_t k = (size_t)snprintf(s, cap,
		"/* optimus-db: serves a %zu-byte VBIOS through _ROM at %s.\n"
		" * The ROM itself is in vbios-ssdt-1..%u.aml (Name \\VBnn, %u-byte chunks). */\n"
		"DefinitionBlock (\"\", \"SSDT\", 2, \"OPTMDB\", \"VBIOSROM\", 1)\n{\n", rom_len, o->path, nchunks, OD_SSDT_CHUNK);
	for (unsigned i = 0; i < nchunks; i++)
		k += (size_t)snprintf(s + k, cap - k, "    External (\\VB%02u, BuffObj)\n", i);
	k += (size_t)snprintf(s + k, cap - k, "    External (%s, DeviceObj)\n\n    Scope (%s)\n    {\n"
		"        Method (VBCK, 1, NotSerialized)\n        {\n", o->path, o->path);
	for (unsigned i = 0; i < nchunks; i++) { /* Zero and One as the AML writes them (aml_int) */
		char num[12];
		if (i <= 1)
			snprintf(num, sizeof(num), "%s", i ? "One" : "Zero");
		else
			snprintf(num, sizeof(num), "%u", i);
		k += (size_t)snprintf(s + k, cap - k, "            If (Arg0 == %s) { Return (\\VB%02u) }\n", num, i);
	}
	k += (size_t)snprintf(s + k, cap - k,
		"            Return (\\VB00)\n        }\n\n"
		"        /* _ROM (offset, length): exactly min (length, 4096) bytes, zeros past the end. */\n"
		"        Method (_ROM, 2, Serialized)\n        {\n"
		"            If (Arg1 > 0x1000) { Arg1 = 0x1000 }\n"
		"            Local0 = Buffer (Zero) {}\n"
		"            Local1 = Zero\n"
		"            While (Local1 < Arg1)\n            {\n"
		"                Local2 = Arg0 + Local1\n"
		"                If (!(Local2 < 0x%zX)) { Break }\n"
		"                Divide (Local2, 0x%X, Local3, Local4)\n"
		"                Local5 = 0x%X - Local3\n"
		"                Local7 = Arg1 - Local1\n"
		"                If (Local5 > Local7) { Local5 = Local7 }\n"
		"                Local7 = 0x%zX - Local2\n"
		"                If (Local5 > Local7) { Local5 = Local7 }\n"
		"                Local6 = VBCK (Local4)\n"
		"                Mid (Local6, Local3, Local5, Local7)\n"
		"                If (Local1 == Zero) { Local0 = Local7 } Else { Concatenate (Local0, Local7, Local0) }\n"
		"                Local1 += Local5\n"
		"            }\n"
		"            If (Local1 < Arg1)\n            {\n"
		"                Local7 = Arg1 - Local1\n"
		"                If (Local1 == Zero) { Local0 = Buffer (Local7) {} } Else { Concatenate (Local0, Buffer (Local7) {}, Local0) }\n"
		"            }\n"
		"            Return (Local0)\n        }\n    }\n",
		rom_len, OD_SSDT_CHUNK, OD_SSDT_CHUNK, rom_len);
	if (o->battery && k < cap)
		k += od_asl_battery(s + k, cap - k);
	if (k < cap)
		snprintf(s + k, cap - k, "}\n");
	return s;
}

static char *asl_chunk(unsigned i, const uint8_t *p, size_t n)
{
	size_t cap = 256 + n * 6 + n / 16 * 16;
	char *s = malloc(cap);
	if (!s)
		return NULL;
	size_t k = (size_t)snprintf(s, cap,
		"DefinitionBlock (\"\", \"SSDT\", 2, \"OPTMDB\", \"VBIOS%03u\", 1)\n{\n    Name (\\VB%02u, Buffer (0x%zX)\n    {\n",
		i + 1, i, n);
	for (size_t j = 0; j < n; j++)
		k += (size_t)snprintf(s + k, cap - k, "%s0x%02X%s", j % 16 == 0 ? "        " : "", p[j],
				      j + 1 == n ? "\n" : j % 16 == 15 ? ",\n" : ", ");
	snprintf(s + k, cap - k, "    })\n}\n");
	return s;
}

static int finish(aml *a, od_ssdt *t, const char *table_id, od_err *e)
{
	bool ok = aml_table(a, "SSDT", "OPTMDB", table_id, 1, &t->aml, &t->len);
	aml_free(a);
	if (!ok)
		return od_fail(e, OD_E_FORMAT, 0, "AML encoding failed (bad ACPI path or out of memory)");
	if (t->len > 65535)
		return od_fail(e, OD_E_LIMIT, 0, "table %s is %zu bytes; QEMU accepts at most 65,535", t->name, t->len);
	return OD_OK;
}

int od_ssdt_build(const uint8_t *rom, size_t len, const od_acpi_opts *o, bool with_asl, od_ssdt **tables, size_t *n,
		  od_err *e)
{
	if (len == 0 || len > OD_SSDT_MAX_ROM)
		return od_fail(e, OD_E_LIMIT, 0, "ROM of %zu bytes (1 to %u supported)", len, OD_SSDT_MAX_ROM);
	unsigned nchunks = (unsigned)((len + OD_SSDT_CHUNK - 1) / OD_SSDT_CHUNK);
	od_ssdt *t = calloc(nchunks + 1, sizeof(*t));
	if (!t)
		return od_fail(e, OD_E_NOMEM, 0, "tables");
	*tables = t;
	*n = nchunks + 1;
	aml a;
	aml_init(&a);
	/* No External opcodes in the AML: ACPICA (20200925, acpiexec) creates
	 * placeholder objects for them at load, so the real \VBnn in the chunk
	 * tables and QEMU's own device node would then fail as duplicates. The
	 * ASL source keeps them, for iasl. */
	aml_open(&a, AML_SCOPE, false);
	aml_name(&a, o->path);
	emit_selector(&a, nchunks);
	emit_rom_method(&a, len);
	aml_close(&a);
	if (o->battery)
		od_aml_battery(&a);
	snprintf(t[0].name, sizeof(t[0].name), "vbios-ssdt-0.aml");
	OD_TRY(finish(&a, &t[0], "VBIOSROM", e));
	if (with_asl && !(t[0].asl = asl_method(o, len, nchunks)))
		return od_fail(e, OD_E_NOMEM, 0, "ASL");
	for (unsigned i = 0; i < nchunks; i++) {
		size_t off = (size_t)i * OD_SSDT_CHUNK, clen = len - off < OD_SSDT_CHUNK ? len - off : OD_SSDT_CHUNK;
		char nm[8], id[9];
		chunk_name(i, nm);
		aml_init(&a);
		aml_byte(&a, AML_NAME);
		aml_name(&a, nm);
		aml_open(&a, AML_BUFFER, false);
		aml_int(&a, clen);
		aml_bytes(&a, rom + off, clen);
		aml_close(&a);
		snprintf(t[i + 1].name, sizeof(t[i + 1].name), "vbios-ssdt-%u.aml", i + 1);
		snprintf(id, sizeof(id), "VBIOS%03u", (i + 1) % 1000);
		OD_TRY(finish(&a, &t[i + 1], id, e));
		if (with_asl && !(t[i + 1].asl = asl_chunk(i, rom + off, clen)))
			return od_fail(e, OD_E_NOMEM, 0, "ASL");
	}
	return OD_OK;
}

void od_ssdt_free(od_ssdt *t, size_t n)
{
	for (size_t i = 0; t && i < n; i++) {
		free(t[i].aml);
		free(t[i].asl);
	}
	free(t);
}
