/* SPDX-License-Identifier: BSD-2-Clause */
/* Bounded AML scanner: see amlscan.h. Encodings: ACPI 6.5 sec. 20.2
 * (PkgLength 20.2.4, NameString 20.2.2, opcodes table 20.2/20.3). */
#include "amlscan.h"

#include <stdio.h>
#include <string.h>

#define MAX_DEPTH 32
#define MAX_FIELDS 512
#define MAX_REGIONS 128

typedef struct region {
	char name[5];
	bool fixed;
	uint64_t addr, len;
	char base[5];
} region;

typedef struct field {
	char name[5];
	int region; /* index into regions */
} field;

typedef struct scanner {
	od_span t;
	char scope[MAX_DEPTH][160];
	size_t end[MAX_DEPTH];
	int depth;
	region regions[MAX_REGIONS];
	int nregions;
	field fields[MAX_FIELDS];
	int nfields;
	od_aml_scan *out;
} scanner;

static int pkglen(od_span t, size_t at, size_t *len, size_t *nbytes)
{
	uint8_t lead;
	OD_TRY(od_u8(t, at, &lead, NULL));
	unsigned follow = lead >> 6;
	if (follow == 0) {
		*len = lead & 0x3F;
		*nbytes = 1;
		return OD_OK;
	}
	size_t v = lead & 0x0F;
	for (unsigned i = 0; i < follow; i++) {
		uint8_t b;
		OD_TRY(od_u8(t, at + 1 + i, &b, NULL));
		v |= (size_t)b << (4 + 8 * i);
	}
	*len = v;
	*nbytes = 1 + follow;
	return OD_OK;
}

static bool seg_ok(const uint8_t *p)
{
	for (int i = 0; i < 4; i++) {
		uint8_t c = p[i];
		if (!((c >= 'A' && c <= 'Z') || c == '_' || (i && c >= '0' && c <= '9')))
			return false;
	}
	return true;
}

/* Decodes a NameString at `at` into text ("\_SB_.PCI0"); *n = bytes used. */
static bool namestring(od_span t, size_t at, char *out, size_t cap, size_t *n)
{
	size_t k = 0, i = at;
	uint8_t c;
	out[0] = 0;
	if (od_u8(t, i, &c, NULL))
		return false;
	while (c == '\\' || c == '^') {
		if (k + 2 >= cap)
			return false;
		out[k++] = (char)c;
		if (od_u8(t, ++i, &c, NULL))
			return false;
	}
	unsigned segs = 1;
	if (c == 0x00) {
		out[k] = 0;
		*n = i + 1 - at;
		return true;
	}
	if (c == 0x2E) {
		segs = 2, i++;
	} else if (c == 0x2F) {
		uint8_t cnt;
		if (od_u8(t, i + 1, &cnt, NULL) || cnt == 0)
			return false;
		segs = cnt, i += 2;
	}
	for (unsigned s = 0; s < segs; s++) {
		const uint8_t *p;
		if (od_bytes(t, i, 4, &p, NULL) || !seg_ok(p) || k + 6 >= cap)
			return false;
		if (s)
			out[k++] = '.';
		memcpy(out + k, p, 4);
		k += 4;
		i += 4;
	}
	out[k] = 0;
	*n = i - at;
	return true;
}

/* Absolute path of name relative to scope (enough of ACPI 5.3 rules for
 * definitions: leading '\' is absolute, each '^' drops a segment). */
static void resolve(const char *scope, const char *name, char *out, size_t cap)
{
	if (name[0] == '\\') {
		snprintf(out, cap, "%s", name);
		return;
	}
	char base[160];
	snprintf(base, sizeof(base), "%s", scope);
	while (*name == '^') {
		char *dot = strrchr(base, '.');
		if (dot)
			*dot = 0;
		else
			snprintf(base, sizeof(base), "\\");
		name++;
	}
	size_t bl = strlen(base);
	size_t k = (size_t)snprintf(out, cap, "%.150s", base);
	if (k < cap)
		snprintf(out + k, cap - k, "%s%.*s", bl > 1 ? "." : "", (int)(cap > k + 2 ? cap - k - 2 : 0), name);
}

/* Integer constant at `at` (Zero/One/Ones, Byte/Word/DWord/QWord). */
static bool integer(od_span t, size_t at, uint64_t *v, size_t *n)
{
	uint8_t op;
	if (od_u8(t, at, &op, NULL))
		return false;
	size_t w = op == 0x0A ? 1 : op == 0x0B ? 2 : op == 0x0C ? 4 : op == 0x0E ? 8 : 0;
	if (op == 0x00 || op == 0x01 || op == 0xFF) {
		*v = op == 0xFF ? UINT64_MAX : op;
		*n = 1;
		return true;
	}
	if (!w)
		return false;
	*v = 0;
	for (size_t i = 0; i < w; i++) {
		uint8_t b;
		if (od_u8(t, at + 1 + i, &b, NULL))
			return false;
		*v |= (uint64_t)b << (8 * i);
	}
	*n = 1 + w;
	return true;
}

/* OperationRegion: NameString, RegionSpace byte, Offset TermArg, Length TermArg. */
static size_t op_region(scanner *s, size_t at)
{
	char name[160];
	size_t n, k;
	uint8_t space;
	if (!namestring(s->t, at, name, sizeof(name), &n) || od_u8(s->t, at + n, &space, NULL))
		return 1;
	if (s->nregions >= MAX_REGIONS || space != 0x00) /* SystemMemory only */
		return n + 1;
	region *r = &s->regions[s->nregions++];
	memset(r, 0, sizeof(*r));
	const char *last = strrchr(name, '.');
	snprintf(r->name, sizeof(r->name), "%.4s", last ? last + 1 : name + strspn(name, "\\^"));
	size_t at2 = at + n + 1;
	if (integer(s->t, at2, &r->addr, &k)) {
		r->fixed = true;
	} else {
		char base[160];
		if (namestring(s->t, at2, base, sizeof(base), &k)) {
			const char *bl = strrchr(base, '.');
			snprintf(r->base, sizeof(r->base), "%.4s", bl ? bl + 1 : base + strspn(base, "\\^"));
		} else {
			k = 0;
		}
	}
	if (k)
		integer(s->t, at2 + k, &r->len, &n);
	return at2 + k - at;
}

/* Field (PkgLength, region NameString, flags, field list): remember which
 * region each named field belongs to. */
static void op_field(scanner *s, size_t at, size_t end)
{
	char name[160];
	size_t n, pl, pn;
	if (!namestring(s->t, at, name, sizeof(name), &n))
		return;
	const char *last = strrchr(name, '.');
	const char *rn = last ? last + 1 : name + strspn(name, "\\^");
	int ri = -1;
	for (int i = 0; i < s->nregions; i++)
		if (!strncmp(s->regions[i].name, rn, 4))
			ri = i;
	if (ri < 0)
		return;
	size_t i = at + n + 1; /* skip FieldFlags */
	while (i < end && s->nfields < MAX_FIELDS) {
		uint8_t c;
		if (od_u8(s->t, i, &c, NULL))
			return;
		if (c == 0x00 || c == 0x01 || c == 0x02 || c == 0x03) { /* Reserved/Access/Connect/ExtAccess fields */
			if (c == 0x00) {
				if (pkglen(s->t, i + 1, &pl, &pn))
					return;
				i += 1 + pn;
			} else {
				i += c == 0x03 ? 4 : 3;
			}
			continue;
		}
		const uint8_t *p;
		if (od_bytes(s->t, i, 4, &p, NULL) || !seg_ok(p) || pkglen(s->t, i + 4, &pl, &pn))
			return;
		field *f = &s->fields[s->nfields++];
		memcpy(f->name, p, 4);
		f->name[4] = 0;
		f->region = ri;
		i += 4 + pn;
	}
}

static void record_rom(scanner *s, size_t at, size_t body, size_t end)
{
	if (s->out->nroms >= OD_AML_MAX_ROMS)
		return;
	od_aml_rom *r = &s->out->roms[s->out->nroms++];
	memset(r, 0, sizeof(*r));
	snprintf(r->path, sizeof(r->path), "%s", s->scope[s->depth]);
	r->method_off = s->t.off + at;
	/* Which region do the fields named in the body belong to? */
	for (int f = 0; f < s->nfields && !r->region[0]; f++) {
		od_span b;
		if (od_sub(s->t, body, end - body, &b, NULL) || od_find(b, 0, s->fields[f].name, 4) == SIZE_MAX)
			continue;
		const region *g = &s->regions[s->fields[f].region];
		memcpy(r->region, g->name, 5);
		r->region_fixed = g->fixed;
		r->region_addr = g->addr;
		r->region_len = g->len;
		memcpy(r->region_base, g->base, 5);
	}
}

/* Opens a named scope-like object: PkgLength NameString [extra bytes]. */
static size_t open_scope(scanner *s, size_t at, size_t oplen, size_t extra, bool method)
{
	size_t len, pn, nn;
	char name[160], full[160];
	if (pkglen(s->t, at + oplen, &len, &pn) || len < pn)
		return 1;
	size_t end = at + oplen + len;
	if (end > s->end[s->depth] || !namestring(s->t, at + oplen + pn, name, sizeof(name), &nn))
		return 1;
	resolve(s->scope[s->depth], name, full, sizeof(full));
	size_t body = at + oplen + pn + nn + extra;
	if (method) {
		uint8_t flags;
		size_t l = strlen(full);
		if (l >= 4 && !strcmp(full + l - 4, "_ROM") && !od_u8(s->t, at + oplen + pn + nn, &flags, NULL) &&
		    (flags & 7) == 2 && s->depth + 1 < MAX_DEPTH) {
			/* The owner is the scope the method is defined in. */
			snprintf(s->scope[s->depth + 1], sizeof(s->scope[0]), "%.*s", (int)(l > 5 ? l - 5 : 1), full);
			s->depth++;
			record_rom(s, at, body, end);
			s->depth--;
		}
		return end - at; /* method bodies are skipped */
	}
	if (s->depth + 1 >= MAX_DEPTH)
		return end - at;
	s->depth++;
	snprintf(s->scope[s->depth], sizeof(s->scope[0]), "%s", full);
	s->end[s->depth] = end;
	return body - at;
}

/* Skips a data object after a NameOp's name: integer, string, buffer, package. */
static size_t data_len(od_span t, size_t at)
{
	uint8_t op;
	uint64_t v;
	size_t n, len, pn;
	if (od_u8(t, at, &op, NULL))
		return 1;
	if (integer(t, at, &v, &n))
		return n;
	if (op == 0x0D) {
		size_t z = od_find(t, at + 1, "", 1);
		return z == SIZE_MAX ? 1 : z - at + 1;
	}
	if ((op == 0x11 || op == 0x12 || op == 0x13) && !pkglen(t, at + 1, &len, &pn))
		return 1 + len;
	return 0;
}

int od_aml_scan_table(od_span t, od_aml_scan *out, od_err *e)
{
	static _Thread_local scanner s;
	memset(&s, 0, sizeof(s));
	memset(out, 0, sizeof(*out));
	uint32_t len;
	OD_TRY(od_copy(t, 0, out->sig, 4, e));
	OD_TRY(od_u32(t, 4, &len, e));
	OD_TRY(od_copy(t, 16, out->oem_table_id, 8, e));
	if (len < 36 || len > t.len)
		return od_fail(e, OD_E_TRUNC, t.off + 4, "table length %u, file has %zu bytes", len, t.len);
	OD_TRY(od_sub(t, 0, len, &s.t, e));
	s.out = out;
	snprintf(s.scope[0], sizeof(s.scope[0]), "\\");
	s.end[0] = len;
	size_t at = 36;
	while (at < len) {
		while (s.depth > 0 && at >= s.end[s.depth])
			s.depth--;
		uint8_t op, op2 = 0;
		OD_TRY(od_u8(s.t, at, &op, e));
		(void)od_u8(s.t, at + 1, &op2, NULL);
		size_t step = 1, nn;
		char name[160];
		if (op == 0x10)
			step = open_scope(&s, at, 1, 0, false);
		else if (op == 0x14)
			step = open_scope(&s, at, 1, 1, true);
		else if (op == 0x5B && op2 == 0x82)
			step = open_scope(&s, at, 2, 0, false);
		else if (op == 0x5B && op2 == 0x83)
			step = open_scope(&s, at, 2, 6, false); /* Processor: ProcID, PblkAddr, PblkLen */
		else if (op == 0x5B && op2 == 0x84)
			step = open_scope(&s, at, 2, 3, false); /* PowerResource: level, order */
		else if (op == 0x5B && op2 == 0x85)
			step = open_scope(&s, at, 2, 0, false); /* ThermalZone */
		else if (op == 0x5B && op2 == 0x80)
			step = 2 + op_region(&s, at + 2);
		else if (op == 0x5B && op2 == 0x81) {
			size_t flen, pn;
			if (!pkglen(s.t, at + 2, &flen, &pn) && at + 2 + flen <= s.end[s.depth]) {
				op_field(&s, at + 2 + pn, at + 2 + flen);
				step = 2 + flen;
			}
		} else if (op == 0x08 && namestring(s.t, at + 1, name, sizeof(name), &nn)) {
			size_t d = data_len(s.t, at + 1 + nn);
			step = d ? 1 + nn + d : 1;
		} else if (op == 0x15 && namestring(s.t, at + 1, name, sizeof(name), &nn)) {
			step = 1 + nn + 2; /* External: type, arg count */
		}
		at += step ? step : 1;
	}
	return OD_OK;
}
